//! Synthetic bureaus (县直部门) of every county, so that careers hold posts
//! in units as real records do, not in a county's government as a whole.

use xuncha_org::{Code, Hierarchy, Level, Unit, UnitId, UnitKind};

/// The bureaus of a county's government (县政府工作部门) generated for
/// each county: the name's ending and the id's suffix.
pub const BUREAUS: [(&str, &str); 12] = [
    ("民政局", "minzheng"),
    ("财政局", "caizheng"),
    ("教育局", "jiaoyu"),
    ("卫生健康局", "weijian"),
    ("农业农村局", "nongye"),
    ("人力资源和社会保障局", "renshe"),
    ("自然资源局", "ziran"),
    ("住房和城乡建设局", "zhujian"),
    ("交通运输局", "jiaotong"),
    ("水利局", "shuili"),
    ("市场监督管理局", "shichang"),
    ("公安局", "gongan"),
];

/// The twelve [`BUREAUS`] of every county of `hierarchy` (below `within`,
/// where given), as units of kind [`UnitKind::Bureau`]: id
/// `{code}-{suffix}` (`350628-minzheng`), name the county's and the
/// bureau's (`平和县民政局`), department the suffix (`minzheng`), the
/// same in every county.
///
/// Given to [`RosterSpec::roster`](crate::RosterSpec::roster) and
/// [`OfficialsSpec::checked`](crate::OfficialsSpec::checked), they receive
/// two in three of the posts drawn in a county's seat, the rest staying in
/// its government.
///
/// ```
/// use xuncha_org::{Code, Hierarchy, Units};
///
/// let fujian = Hierarchy::fujian();
/// let units = Units::new(xuncha_synth::county_bureaus(&fujian, None), &fujian)?;
/// assert_eq!(units.units_in(Code::parse("350628")?).len(), 12);
/// assert_eq!(units.units_in(Code::parse("350628")?)[0].name, "平和县财政局");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn county_bureaus(hierarchy: &Hierarchy, within: Option<Code>) -> Vec<Unit> {
    hierarchy
        .at_level(Level::County)
        .filter(|county| within.is_none_or(|w| w.contains(county.code())))
        .flat_map(|county| {
            BUREAUS.iter().map(move |(name, suffix)| Unit {
                id: UnitId::from(format!("{}-{suffix}", county.code()).as_str()),
                name: format!("{}{name}", county.name()),
                kind: UnitKind::Bureau,
                division: county.code(),
                parent: None,
                department: Some((*suffix).to_owned()),
            })
        })
        .collect()
}
