//! The data migrations (`gongshi_store::migrations`) on one adapter: the same cases run on
//! the embedded table (tests/adapters) and on DynamoDB through the emulator (tests/emulator).

use gongshi_platform::{Condition, Item, Key, Table};
use gongshi_store::{clauses, migrations};
use serde_json::json;

fn version_item(version: u32, title: &str) -> Item {
    let value = json!({
        "pk": "CONFIG#CLAUSES", "sk": format!("V#{version:06}"),
        "version": version, "title": title, "clauses": ["本单位承诺申报信息真实。"],
        "published_at": "2026-01-05T02:00:00Z", "published_by": "admin",
    });
    match value {
        serde_json::Value::Object(map) => map,
        _ => unreachable!(),
    }
}

async fn clean(table: &dyn Table, versions: &[u32]) {
    for v in versions {
        table
            .delete(&Key::new("CONFIG#CLAUSES", format!("V#{v:06}")), Condition::Always)
            .await
            .expect("delete version");
    }
    table
        .delete(&clauses::current_key(), Condition::Always)
        .await
        .expect("delete current");
    migrations::forget(table).await.expect("forget");
}

/// Clauses published before the `CURRENT` copy existed: the migration copies the latest
/// version, once; running it again (recorded or forgotten) writes nothing and changes nothing.
pub async fn clauses_published_before_the_copy_are_in_force_after_the_migration(table: &dyn Table) {
    clean(table, &[2, 3]).await;
    for (v, title) in [(2, "执业公示承诺书（2025版）"), (3, "执业公示承诺书（2026版）")] {
        table.put(version_item(v, title), Condition::NotExists).await.expect("old version");
    }
    // Before: the copy is absent, so a request reading by key would see the built-in version.
    assert!(
        clauses::current_of(table.get(&clauses::current_key()).await.expect("get"))
            .expect("decode")
            .is_none()
    );

    let first = migrations::run(table).await.expect("migration");
    assert_eq!(first.ran, ["clauses-current"]);
    assert_eq!(first.written, 1);
    let current = clauses::current_of(table.get(&clauses::current_key()).await.expect("get"))
        .expect("decode")
        .expect("copied");
    assert_eq!((current.version, current.title.as_str()), (3, "执业公示承诺书（2026版）"));

    let again = migrations::run(table).await.expect("second run");
    assert!(again.ran.is_empty(), "a recorded step is not run again: {again:?}");
    migrations::forget(table).await.expect("forget");
    let forced = migrations::run(table).await.expect("forced run");
    assert_eq!((forced.ran.len(), forced.written), (1, 0), "the step itself is idempotent");
    let after = clauses::current_of(table.get(&clauses::current_key()).await.expect("get"))
        .expect("decode")
        .expect("kept");
    assert_eq!(after, current);
    clean(table, &[2, 3]).await;
}

/// A table that never had clauses published: nothing to copy, the built-in version stays.
pub async fn a_table_without_clauses_migrates_to_nothing(table: &dyn Table) {
    clean(table, &[2, 3]).await;
    let report = migrations::run(table).await.expect("migration");
    assert_eq!((report.ran.len(), report.written), (1, 0));
    assert!(table.get(&clauses::current_key()).await.expect("get").is_none());
    clean(table, &[]).await;
}
