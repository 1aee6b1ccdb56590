//! xuncha-round alone: a round read from TOML, petitions read and written
//! as CSV, without the solver.
use xuncha_round::{InspectionMode, Petition, PetitionChannel, Round};

fn main() {
    let round = Round::from_toml_str(
        "version = 1\nid = \"2026-1\"\ndate = \"2026-03-01\"\n[[targets]]\ntarget = \"350628\"\n",
    )
    .expect("a round");
    assert_eq!(round.mode, InspectionMode::Cross);
    let text = "date,channel,county\n2026-03-02,来访,350628\n";
    let petitions = Petition::read_csv(text.as_bytes(), "petitions.csv").expect("petitions");
    assert_eq!(petitions[0].channel, PetitionChannel::Visit);
    let mut csv = Vec::new();
    Petition::write_csv(&petitions, &mut csv).expect("written");
    println!("xuncha-round: round {}, {} petition(s)", round.id, petitions.len());
}
