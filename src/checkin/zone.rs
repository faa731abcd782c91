//! IANA time zones as people type them: lookup, did-you-mean, autocomplete.
//! Only names that say where (`Europe/Berlin`) and `UTC` are accepted: an
//! abbreviation like `CST` means different places, `EST` ignores summer
//! time, and `Etc/GMT+5` is five hours *behind* UTC.

use chrono_tz::{Africa, America, Asia, Australia, Europe, Pacific, Tz, TZ_VARIANTS};

/// A name that is not an accepted zone, and what the person may have meant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// Up to 3, best first; may be empty.
    pub suggestions: Vec<&'static str>,
}

/// A zone name steady accepts: the canonical IANA names that contain a '/', plus "UTC".
/// Case is ignored and spaces count as underscores (`america/new york`).
pub fn lookup(name: &str) -> Result<Tz, Unknown> {
    let key = key(name);
    accepted()
        .find(|zone| zone.name().eq_ignore_ascii_case(&key))
        .ok_or_else(|| Unknown {
            suggestions: suggest(name, 3),
        })
}

/// Zones someone typing `name` may have meant, best first, at most `limit`:
/// the usual zones for an abbreviation, zones named after that city, then
/// near misses of a name or a city.
pub fn suggest(name: &str, limit: usize) -> Vec<&'static str> {
    suggested(&key(name))
        .into_iter()
        .take(limit)
        .map(Tz::name)
        .collect()
}

/// Zones matching what someone has typed so far, best first, at most `limit`.
/// Nothing typed yet gives a short list spread across the world.
pub fn complete(partial: &str, limit: usize) -> Vec<Tz> {
    let key = key(partial);
    if key.is_empty() {
        return POPULAR.into_iter().take(limit).collect();
    }
    let mut found: Vec<(u8, Tz)> = accepted()
        .filter_map(|zone| Some((rank(&key, zone)?, zone)))
        .collect();
    if found.is_empty() {
        return suggested(&key).into_iter().take(limit).collect();
    }
    found.sort_by_key(|&(rank, zone)| (rank, zone.name()));
    found
        .into_iter()
        .take(limit)
        .map(|(_, zone)| zone)
        .collect()
}

/// Offered before anything is typed: widely used zones, west to east.
const POPULAR: [Tz; 23] = [
    Tz::UTC,
    Pacific::Honolulu,
    America::Los_Angeles,
    America::Denver,
    America::Chicago,
    America::Mexico_City,
    America::New_York,
    America::Sao_Paulo,
    America::Argentina::Buenos_Aires,
    Europe::London,
    Europe::Paris,
    Europe::Berlin,
    Africa::Lagos,
    Africa::Cairo,
    Africa::Johannesburg,
    Europe::Moscow,
    Asia::Dubai,
    Asia::Kolkata,
    Asia::Jakarta,
    Asia::Shanghai,
    Asia::Tokyo,
    Australia::Sydney,
    Pacific::Auckland,
];

/// Abbreviations and old names people type, and the zones they usually
/// mean (lowercase; an `Etc/` prefix is ignored before looking here).
const ABBREVIATIONS: &[(&[&str], &[Tz])] = &[
    (&["est", "edt", "est5edt", "et"], &[America::New_York]),
    (
        &["cst", "cdt", "cst6cdt", "ct"],
        &[America::Chicago, Asia::Shanghai],
    ),
    (
        &["mst", "mdt", "mst7mdt", "mt"],
        &[America::Denver, America::Phoenix],
    ),
    (&["pst", "pdt", "pst8pdt", "pt"], &[America::Los_Angeles]),
    (&["akst", "akdt"], &[America::Anchorage]),
    (&["hst"], &[Pacific::Honolulu]),
    (&["ast", "adt"], &[America::Halifax, Asia::Riyadh]),
    (&["nst", "ndt"], &[America::St_Johns]),
    (&["brt"], &[America::Sao_Paulo]),
    (&["art"], &[America::Argentina::Buenos_Aires]),
    (&["gmt"], &[Europe::London, Tz::UTC]),
    (&["bst", "gb", "gb-eire"], &[Europe::London]),
    (&["wet", "west"], &[Europe::Lisbon, Europe::London]),
    (
        &["cet", "cest", "met", "mest"],
        &[Europe::Berlin, Europe::Paris],
    ),
    (&["eet", "eest"], &[Europe::Athens]),
    (&["msk"], &[Europe::Moscow]),
    (&["wat"], &[Africa::Lagos]),
    (&["cat"], &[Africa::Maputo]),
    (&["sast"], &[Africa::Johannesburg]),
    (&["eat"], &[Africa::Nairobi]),
    (&["ist"], &[Asia::Kolkata, Europe::Dublin, Asia::Jerusalem]),
    (&["idt"], &[Asia::Jerusalem]),
    (&["eire"], &[Europe::Dublin]),
    (&["pkt"], &[Asia::Karachi]),
    (&["wib"], &[Asia::Jakarta]),
    (&["prc"], &[Asia::Shanghai]),
    (&["hkt"], &[Asia::Hong_Kong]),
    (&["pht"], &[Asia::Manila]),
    (&["sgt"], &[Asia::Singapore]),
    (&["jst", "japan"], &[Asia::Tokyo]),
    (&["kst", "rok"], &[Asia::Seoul]),
    (&["roc"], &[Asia::Taipei]),
    (&["aest", "aedt"], &[Australia::Sydney, Australia::Brisbane]),
    (&["acst", "acdt"], &[Australia::Adelaide, Australia::Darwin]),
    (&["awst"], &[Australia::Perth]),
    (&["nzst", "nzdt", "nz"], &[Pacific::Auckland]),
    (
        &["utc", "uct", "z", "zulu", "universal", "greenwich", "gmt0"],
        &[Tz::UTC],
    ),
];

/// What was typed, as compared: trimmed, lowercase, spaces as underscores.
fn key(text: &str) -> String {
    text.trim().replace(' ', "_").to_lowercase()
}

fn accepted() -> impl Iterator<Item = Tz> {
    TZ_VARIANTS.iter().copied().filter(|zone| {
        let name = zone.name();
        name == "UTC" || name == "Etc/UTC" || (name.contains('/') && !name.starts_with("Etc/"))
    })
}

/// The last part of a zone's name: `Berlin`, `Buenos_Aires`.
fn city(name: &str) -> &str {
    name.rsplit_once('/').map_or(name, |(_, city)| city)
}

fn suggested(key: &str) -> Vec<Tz> {
    let bare = key.strip_prefix("etc/").unwrap_or(key);
    let usual: Vec<Tz> = ABBREVIATIONS
        .iter()
        .filter(|(names, _)| names.contains(&bare))
        .flat_map(|(_, zones)| zones.iter().copied())
        .collect();
    // A known abbreviation is not a slip of the keyboard: "EST" means New
    // York, never the one-letter-off "East" of an old alias like Brazil/East.
    if !usual.is_empty() {
        return usual;
    }
    let named = accepted().filter(|zone| city(zone.name()).eq_ignore_ascii_case(key));
    let mut near: Vec<(usize, Tz)> = accepted()
        .filter_map(|zone| Some((distance(key, zone)?, zone)))
        .collect();
    near.sort_by_key(|&(distance, zone)| (distance, zone.name()));
    let mut zones = Vec::new();
    for zone in named.chain(near.into_iter().map(|(_, zone)| zone)) {
        if !zones.contains(&zone) {
            zones.push(zone);
        }
    }
    zones
}

/// Typing distance from `key` to `zone`'s name or city, if close enough to
/// be a slip: one edit in a short word, up to three in a long one. A key
/// with digits (`UTC+2`) is an offset, not a misspelt place; the nearest
/// name would be hours wrong.
fn distance(key: &str, zone: Tz) -> Option<usize> {
    if key.is_empty() || key.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let allowed = match key.chars().count() {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    };
    let name = zone.name().to_ascii_lowercase();
    let distance = strsim::osa_distance(key, &name).min(strsim::osa_distance(key, city(&name)));
    (distance <= allowed).then_some(distance)
}

/// How well `zone` matches a partial `key`, 0 best: the whole name, the
/// start of the name, the start of the city, anywhere. None if nowhere.
fn rank(key: &str, zone: Tz) -> Option<u8> {
    let name = zone.name().to_ascii_lowercase();
    if name == key {
        Some(0)
    } else if name.starts_with(key) {
        Some(1)
    } else if city(&name).starts_with(key) {
        Some(2)
    } else {
        name.contains(key).then_some(3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(zones: Vec<Tz>) -> Vec<&'static str> {
        zones.into_iter().map(Tz::name).collect()
    }

    #[test]
    fn zone_names_are_found_in_any_case_and_with_spaces() {
        assert_eq!(lookup("Europe/Berlin"), Ok(Europe::Berlin));
        assert_eq!(lookup("europe/berlin"), Ok(Europe::Berlin));
        assert_eq!(lookup(" UTC "), Ok(Tz::UTC));
        assert_eq!(lookup("utc"), Ok(Tz::UTC));
        assert_eq!(lookup("Etc/UTC"), Ok(Tz::Etc__UTC));
        assert_eq!(lookup("America/New York"), Ok(America::New_York));
        assert_eq!(
            lookup("america/argentina/buenos aires"),
            Ok(America::Argentina::Buenos_Aires)
        );
    }

    #[test]
    fn abbreviations_old_names_and_etc_offsets_are_refused() {
        for name in [
            "EST",
            "CET",
            "GMT",
            "Japan",
            "MST7MDT",
            "GB",
            "Zulu",
            "Etc/GMT+5",
            "Etc/GMT",
            "",
            "  ",
            "Mars/Olympus",
        ] {
            assert!(lookup(name).is_err(), "{name:?}");
        }
        assert_eq!(
            lookup(""),
            Err(Unknown {
                suggestions: vec![]
            })
        );
    }

    #[test]
    fn refusals_suggest_what_was_probably_meant() {
        let first = |name| lookup(name).unwrap_err().suggestions.first().copied();
        assert_eq!(first("Europe/Berln"), Some("Europe/Berlin"));
        assert_eq!(first("Amerca/New_York"), Some("America/New_York"));
        assert_eq!(first("berlin"), Some("Europe/Berlin"));
        assert_eq!(first("berln"), Some("Europe/Berlin"));
        assert_eq!(first("new york"), Some("America/New_York"));
        assert_eq!(first("sao_paulo"), Some("America/Sao_Paulo"));
        assert_eq!(first("EST"), Some("America/New_York"));
        assert_eq!(first("cet"), Some("Europe/Berlin"));
        assert_eq!(first("Japan"), Some("Asia/Tokyo"));
        assert_eq!(first("Etc/Zulu"), Some("UTC"));
        assert_eq!(
            lookup("GMT").unwrap_err().suggestions,
            ["Europe/London", "UTC"]
        );
        assert_eq!(
            lookup("IST").unwrap_err().suggestions,
            ["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"]
        );
    }

    #[test]
    fn offsets_get_no_misleading_suggestions() {
        for name in ["UTC+2", "GMT-5", "Etc/GMT+5"] {
            assert_eq!(suggest(name, 3), Vec::<&str>::new(), "{name:?}");
        }
    }

    #[test]
    fn completion_ranks_name_then_city_then_anywhere() {
        assert_eq!(complete("berl", 25).first(), Some(&Europe::Berlin));
        assert!(complete("new", 25).contains(&America::New_York));
        assert_eq!(complete("Europe/Berlin", 25).first(), Some(&Europe::Berlin));
        assert_eq!(
            names(complete("europe/l", 3)),
            ["Europe/Lisbon", "Europe/Ljubljana", "Europe/London"]
        );
        let tokyo = complete("tokyo", 25);
        assert_eq!(tokyo, [Asia::Tokyo]);
        let york = names(complete("york", 25));
        assert!(york.contains(&"America/New_York"), "{york:?}");
        assert_eq!(complete("berln", 25).first(), Some(&Europe::Berlin));
        assert_eq!(complete("zzzzzz", 25), []);
    }

    #[test]
    fn nothing_typed_offers_popular_zones() {
        let popular = complete("", 25);
        assert!((15..=25).contains(&popular.len()));
        assert_eq!(popular, complete("   ", 25));
        assert_eq!(complete("", 5).len(), 5);
        assert!(popular.contains(&Tz::UTC) && popular.contains(&Asia::Kolkata));
    }

    #[test]
    fn at_most_limit() {
        assert_eq!(complete("a", 25).len(), 25);
        assert_eq!(complete("a", 0), []);
        assert_eq!(suggest("cst", 1), ["America/Chicago"]);
    }

    #[test]
    fn everything_offered_is_accepted() {
        let offered = ABBREVIATIONS
            .iter()
            .flat_map(|(_, zones)| zones.iter().copied())
            .chain(POPULAR)
            .map(Tz::name);
        let typed = [
            "",
            "a",
            "new",
            "berl",
            "york",
            "europe/",
            "berln",
            "Amerca/New_York",
            "EST",
            "GMT",
            "gb",
            "Etc/GMT+5",
            "Zulu",
            "Mars/Olympus",
            "kolkata",
            "utc",
            "x",
            "sao",
        ];
        let completed = typed.iter().flat_map(|t| names(complete(t, 25)));
        let suggested = typed.iter().flat_map(|t| suggest(t, 25));
        for name in offered.chain(completed).chain(suggested) {
            assert!(lookup(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn every_accepted_name_round_trips() {
        for zone in accepted() {
            assert_eq!(lookup(zone.name()), Ok(zone));
            assert_eq!(lookup(&zone.name().to_uppercase()), Ok(zone));
        }
        assert!(accepted().count() > 400);
    }
}
