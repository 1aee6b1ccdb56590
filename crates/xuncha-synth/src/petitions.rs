//! Synthetic petitions (信访件) for a season.

use chrono::{Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use xuncha_leads::PetitionChannel;
use xuncha_round::InspectionMode;
use xuncha_round::Petition;

use crate::SeasonSpec;
use crate::roster::weighted;

impl SeasonSpec {
    /// Draws `per_county` petitions for each county of the season, tagged
    /// with the season's round and `mode`, in (county, draw) order. The
    /// distributions are in the crate's overview.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use xuncha_round::InspectionMode;
    /// use xuncha_org::Code;
    /// use xuncha_synth::SeasonSpec;
    ///
    /// let spec = SeasonSpec::new(7, Code::parse("3506")?, vec![Code::parse("350628")?], NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
    /// let petitions = spec.petitions(100, Some(InspectionMode::Cross));
    /// assert_eq!(petitions.len(), 100);
    /// assert_eq!(petitions, spec.petitions(100, Some(InspectionMode::Cross))); // deterministic
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn petitions(&self, per_county: usize, mode: Option<InspectionMode>) -> Vec<Petition> {
        let salt = match mode {
            None => 0u64,
            Some(m) => 1 + m as u64,
        };
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ 0x7065_7469_7469_6f6e ^ salt);
        let mut out = Vec::with_capacity(per_county * self.counties.len());
        for county in &self.counties {
            let mut batch: Option<(String, NaiveDate)> = None;
            let mut batches = 0usize;
            for n in 0..per_county {
                let channel = [
                    PetitionChannel::Letter,
                    PetitionChannel::Call,
                    PetitionChannel::Visit,
                ][usize::from(weighted(&[(0u8, 30), (1, 20), (2, 50)], &mut rng))];
                let mut date = self
                    .start
                    .checked_add_days(Days::new(rng.random_range(0..30u64)))
                    .unwrap_or(self.start);
                let (batch_id, persons) = if channel == PetitionChannel::Visit {
                    let persons = rng.random_range(1..=5u32);
                    let id = match &batch {
                        Some((id, day)) if rng.random_bool(0.3) => {
                            date = *day;
                            id.clone()
                        }
                        _ => {
                            batches += 1;
                            let id = format!("{}/{county}/B{batches}", self.round);
                            batch = Some((id.clone(), date));
                            id
                        }
                    };
                    (Some(id), persons)
                } else {
                    (None, 1)
                };
                out.push(Petition {
                    id: format!("{}/{county}/P{n:05}", self.round),
                    date,
                    channel,
                    batch: batch_id,
                    persons,
                    county: *county,
                    round: Some(self.round.clone()),
                    mode,
                });
            }
        }
        out
    }
}
