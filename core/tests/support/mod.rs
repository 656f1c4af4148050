//! Helpers shared by the integration tests: locating the shared vectors.
#![allow(dead_code)]
use std::path::PathBuf;

/// Loads `../shared/vectors/<rel>` relative to the workspace root, or
/// returns `None` after printing why the test is skipped.
pub fn load_vectors(rel: &str) -> Option<serde_json::Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/vectors")
        .join(rel);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("vector file is valid JSON")),
        Err(_) => {
            eprintln!(
                "SKIP: {} not found (vectors live in ../shared/vectors)",
                path.display()
            );
            None
        }
    }
}

pub fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("hex in vector file")
}
