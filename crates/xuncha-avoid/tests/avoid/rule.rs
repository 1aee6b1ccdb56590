//! Rule files in TOML.

use xuncha_avoid::{Error, RuleSet, Scope};

fn rules_error(text: &str) -> Error {
    RuleSet::from_toml_str(text).expect_err("the rules are bad")
}

#[test]
fn the_default_rules_are_the_documented_eight() {
    let rules = RuleSet::default();
    let ids: Vec<&str> = rules.rules().iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "residence",
            "workplace",
            "workplace-unit",
            "posts",
            "upbringing",
            "kinship",
            "declared",
            "recent-inspection"
        ]
    );
    assert_eq!(rules.get("kinship").map(|r| r.scope), Some(Scope::Unit));
}

#[test]
fn malformed_toml_names_the_line() {
    let err = rules_error("version = 1\n[[rules]]\nid = \"a\"\nfact = \n");
    assert!(matches!(err, Error::Rules { .. }));
    assert!(err.to_string().contains("line 4"), "{err}");
}

#[test]
fn a_bad_value_names_the_key_and_line() {
    let err = rules_error(
        "version = 1\n[[rules]]\nid = \"a\"\nfact = \"residence\"\nscope = \"galaxy\"\n",
    );
    let message = err.to_string();
    assert!(
        message.contains("scope") && message.contains("galaxy") && message.contains("line 5"),
        "{message}"
    );
    let err =
        rules_error("version = 1\n[[rules]]\nid = \"a\"\nfact = \"residence\"\ncolour = \"red\"\n");
    assert!(err.to_string().contains("colour"), "{err}");
    let err = rules_error(
        "version = 1\n[[rules]]\nid = \"a\"\nfact = \"posts\"\nwindow = \"ten years\"\n",
    );
    assert!(err.to_string().contains("window"), "{err}");
}

#[test]
fn rules_that_make_no_sense_name_the_rule_and_key() {
    for (rule, key) in [
        (
            "id = \"a\"\nfact = \"residence\"\nwindow = \"5y\"",
            "rules[0].window",
        ),
        (
            "id = \"a\"\nfact = \"posts\"\nkinships = [\"spouse\"]",
            "rules[0].kinships",
        ),
        (
            "id = \"a\"\nfact = \"posts\"\nwindow = \"2 rounds\"",
            "rules[0].window",
        ),
        ("id = \"a\"\nfact = \"posts\"\nroles = []", "rules[0].roles"),
    ] {
        let err = rules_error(&format!("version = 1\n[[rules]]\n{rule}\n"));
        match &err {
            Error::Rules { key: Some(k), .. } => assert_eq!(k, key, "{err}"),
            other => panic!("expected a rules error, got {other}"),
        }
    }
    let twice = "version = 1\n[[rules]]\nid = \"a\"\nfact = \"posts\"\n[[rules]]\nid = \"a\"\nfact = \"upbringing\"\n";
    assert!(rules_error(twice).to_string().contains("rules[1].id"));
    assert!(rules_error("version = 2\n").to_string().contains("version"));
}

#[test]
fn a_rule_file_on_disk_loads_and_errors_name_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("rules.toml");
    std::fs::write(&path, RuleSet::default().to_toml().expect("toml")).expect("write");
    assert_eq!(
        RuleSet::from_toml_path(&path).expect("loads"),
        RuleSet::default()
    );
    std::fs::write(&path, "version = 1\n[[rules]]\nid = 3\n").expect("write");
    let err = RuleSet::from_toml_path(&path).expect_err("bad");
    assert!(err.to_string().contains("rules.toml"), "{err}");
}
