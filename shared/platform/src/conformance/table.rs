//! The `Table` conformance cases.

use crate::table::{Condition, Index, Item, Key, Query, SortKey, Table, TableError, Write};
use serde_json::{Value, json};

/// A partition name no other case or run uses (cases may share one table).
fn fresh(name: &str) -> String {
    format!("T#{name}#{}", ulid::Ulid::new())
}

fn item(value: Value) -> Item {
    match value {
        Value::Object(map) => map,
        other => panic!("test items are objects, got {other}"),
    }
}

fn sks(items: &[Item]) -> Vec<String> {
    items.iter().map(|i| i["sk"].as_str().unwrap_or_default().to_owned()).collect()
}

/// Strings, integers, decimals, booleans, nulls, lists and maps survive a round trip.
pub async fn put_then_get_returns_the_same_item(table: &dyn Table) {
    let pk = fresh("roundtrip");
    let stored = item(
        json!({"pk": pk, "sk": "A", "name": "厦门院", "n": 42, "f": 1.5, "ok": true, "none": null,
        "list": [1, "two", {"three": 3}], "map": {"nested": {"deep": "x"}}}),
    );
    table.put(stored.clone(), Condition::Always).await.expect("put");
    let got = table.get(&Key::new(&pk, "A")).await.expect("get").expect("present");
    assert_eq!(got, stored);
    assert!(table.get(&Key::new(&pk, "B")).await.expect("get").is_none());
}

/// `NotExists` lets exactly the first write in and leaves the item untouched.
pub async fn conditional_put_refuses_existing_item(table: &dyn Table) {
    let pk = fresh("unique");
    table
        .put(item(json!({"pk": pk, "sk": "U", "owner": "first"})), Condition::NotExists)
        .await
        .expect("first");
    let second = table
        .put(item(json!({"pk": pk, "sk": "U", "owner": "second"})), Condition::NotExists)
        .await;
    assert!(matches!(second, Err(TableError::ConditionFailed)), "{second:?}");
    let got = table.get(&Key::new(&pk, "U")).await.expect("get").expect("present");
    assert_eq!(got["owner"], "first");
    table
        .put(item(json!({"pk": pk, "sk": "U", "owner": "third"})), Condition::Exists)
        .await
        .expect("exists holds");
    let missing = table.put(item(json!({"pk": pk, "sk": "V"})), Condition::Exists).await;
    assert!(matches!(missing, Err(TableError::ConditionFailed)));
}

/// Writes conditional on the version read detect a concurrent update.
pub async fn version_condition_detects_a_lost_update(table: &dyn Table) {
    let pk = fresh("version");
    table
        .put(
            item(json!({"pk": pk, "sk": "R", "version": 1, "state": "draft"})),
            Condition::NotExists,
        )
        .await
        .expect("create");
    let v1 = Condition::equals("version", 1);
    table
        .put(item(json!({"pk": pk, "sk": "R", "version": 2, "state": "submitted"})), v1.clone())
        .await
        .expect("first update");
    let stale = table
        .put(item(json!({"pk": pk, "sk": "R", "version": 2, "state": "withdrawn"})), v1)
        .await;
    assert!(matches!(stale, Err(TableError::ConditionFailed)));
    let both = Condition::And(vec![Condition::equals("version", 2), Condition::equals("state", "submitted")]);
    table
        .put(item(json!({"pk": pk, "sk": "R", "version": 3, "state": "approved"})), both)
        .await
        .expect("and holds");
    let got = table.get(&Key::new(&pk, "R")).await.expect("get").expect("present");
    assert_eq!((got["version"].as_i64(), got["state"].as_str()), (Some(3), Some("approved")));
}

/// An item past its `expires_at` may be replaced under `NotExistsOrExpired`; a live one not.
pub async fn expired_item_counts_as_absent_only_for_not_exists_or_expired(table: &dyn Table) {
    let pk = fresh("ttl-cond");
    let now = 1_900_000_000;
    table
        .put(item(json!({"pk": pk, "sk": "OLD", "expires_at": now - 10})), Condition::Always)
        .await
        .expect("seed");
    table
        .put(item(json!({"pk": pk, "sk": "LIVE", "expires_at": now + 10})), Condition::Always)
        .await
        .expect("seed");
    table
        .put(
            item(json!({"pk": pk, "sk": "OLD", "owner": "new"})),
            Condition::NotExistsOrExpired { now },
        )
        .await
        .expect("expired counts as absent");
    let live = table
        .put(
            item(json!({"pk": pk, "sk": "LIVE", "owner": "new"})),
            Condition::NotExistsOrExpired { now },
        )
        .await;
    assert!(matches!(live, Err(TableError::ConditionFailed)));
    table
        .put(item(json!({"pk": pk, "sk": "NEW"})), Condition::NotExistsOrExpired { now })
        .await
        .expect("absent");
}

/// A batch read returns every item in key order in one call, `None` where absent, and keeps
/// DynamoDB's limits (1–100 distinct keys).
pub async fn get_many_reads_items_in_key_order(table: &dyn Table) {
    let pk = fresh("batch");
    for sk in ["A", "C"] {
        table
            .put(item(json!({"pk": pk, "sk": sk, "v": sk})), Condition::Always)
            .await
            .expect("seed");
    }
    let keys = [Key::new(&pk, "C"), Key::new(&pk, "B"), Key::new(&pk, "A")];
    let got = table.get_many(&keys).await.expect("batch");
    let values: Vec<Option<String>> = got
        .iter()
        .map(|i| i.as_ref().and_then(|i| i["v"].as_str().map(str::to_owned)))
        .collect();
    assert_eq!(values, [Some("C".to_owned()), None, Some("A".to_owned())]);
    let too_many: Vec<Key> = (0..101).map(|i| Key::new(&pk, format!("{i}"))).collect();
    assert!(matches!(table.get_many(&too_many).await, Err(TableError::Invalid(_))));
    assert!(matches!(
        table.get_many(&[Key::new(&pk, "A"), Key::new(&pk, "A")]).await,
        Err(TableError::Invalid(_))
    ));
}

/// `Update` sets and removes attributes in place, and is conditional.
pub async fn update_sets_and_removes_attributes(table: &dyn Table) {
    let pk = fresh("update");
    table
        .put(
            item(json!({"pk": pk, "sk": "ACCT", "status": "pending", "expires_at": 2_000_000_000, "name": "x"})),
            Condition::Always,
        )
        .await
        .expect("seed");
    let set = item(json!({"status": "active", "unit_id": "U1"}));
    table
        .update(
            &Key::new(&pk, "ACCT"),
            set.clone(),
            vec!["expires_at".into()],
            Condition::equals("status", "pending"),
        )
        .await
        .expect("update");
    let got = table.get(&Key::new(&pk, "ACCT")).await.expect("get").expect("present");
    assert_eq!(
        got,
        item(json!({"pk": pk, "sk": "ACCT", "status": "active", "unit_id": "U1", "name": "x"}))
    );
    let again = table
        .update(&Key::new(&pk, "ACCT"), set, vec![], Condition::equals("status", "pending"))
        .await;
    assert!(matches!(again, Err(TableError::ConditionFailed)), "a second transition is refused");
}

/// Deletes are conditional too, and deleting nothing is fine.
pub async fn delete_honours_its_condition(table: &dyn Table) {
    let pk = fresh("delete");
    table
        .put(item(json!({"pk": pk, "sk": "D", "owner": "a"})), Condition::Always)
        .await
        .expect("seed");
    let wrong = table.delete(&Key::new(&pk, "D"), Condition::equals("owner", "b")).await;
    assert!(matches!(wrong, Err(TableError::ConditionFailed)));
    assert!(table.get(&Key::new(&pk, "D")).await.expect("get").is_some());
    table
        .delete(&Key::new(&pk, "D"), Condition::equals("owner", "a"))
        .await
        .expect("delete");
    assert!(table.get(&Key::new(&pk, "D")).await.expect("get").is_none());
    table
        .delete(&Key::new(&pk, "D"), Condition::Always)
        .await
        .expect("deleting nothing is fine");
}

/// One failing condition cancels every write of the transaction.
pub async fn transaction_is_all_or_nothing(table: &dyn Table) {
    let pk = fresh("txn");
    table
        .put(item(json!({"pk": pk, "sk": "LOCK"})), Condition::Always)
        .await
        .expect("seed");
    table
        .put(item(json!({"pk": pk, "sk": "GONE", "v": 1})), Condition::Always)
        .await
        .expect("seed");
    let failing = vec![
        Write::Put {
            item: item(json!({"pk": pk, "sk": "APP"})),
            condition: Condition::NotExists,
        },
        Write::Delete {
            key: Key::new(&pk, "GONE"),
            condition: Condition::Always,
        },
        Write::Put {
            item: item(json!({"pk": pk, "sk": "LOCK"})),
            condition: Condition::NotExists,
        },
    ];
    assert!(matches!(table.transact(failing).await, Err(TableError::ConditionFailed)));
    assert!(table.get(&Key::new(&pk, "APP")).await.expect("get").is_none(), "no partial write");
    assert!(table.get(&Key::new(&pk, "GONE")).await.expect("get").is_some(), "no partial delete");
    let check_fails = vec![
        Write::Put {
            item: item(json!({"pk": pk, "sk": "APP"})),
            condition: Condition::NotExists,
        },
        Write::Check {
            key: Key::new(&pk, "GONE"),
            condition: Condition::equals("v", 2),
        },
    ];
    assert!(matches!(table.transact(check_fails).await, Err(TableError::ConditionFailed)));
    assert!(table.get(&Key::new(&pk, "APP")).await.expect("get").is_none());
    let passing = vec![
        Write::Put {
            item: item(json!({"pk": pk, "sk": "APP"})),
            condition: Condition::NotExists,
        },
        Write::Check {
            key: Key::new(&pk, "GONE"),
            condition: Condition::equals("v", 1),
        },
        Write::Delete {
            key: Key::new(&pk, "LOCK"),
            condition: Condition::Exists,
        },
    ];
    table.transact(passing).await.expect("commits");
    assert!(table.get(&Key::new(&pk, "APP")).await.expect("get").is_some());
    assert!(table.get(&Key::new(&pk, "LOCK")).await.expect("get").is_none());
}

/// DynamoDB's limits: 1–100 writes, each item at most once.
pub async fn transaction_limits_are_enforced(table: &dyn Table) {
    let pk = fresh("limits");
    let put = |sk: String| Write::Put {
        item: item(json!({"pk": pk, "sk": sk})),
        condition: Condition::Always,
    };
    let hundred: Vec<Write> = (0..100).map(|i| put(format!("{i:03}"))).collect();
    table.transact(hundred).await.expect("100 writes are allowed");
    let too_many: Vec<Write> = (0..101).map(|i| put(format!("X{i:03}"))).collect();
    assert!(matches!(table.transact(too_many).await, Err(TableError::Invalid(_))));
    assert!(matches!(
        table.transact(vec![put("A".into()), put("A".into())]).await,
        Err(TableError::Invalid(_))
    ));
    assert!(matches!(table.transact(vec![]).await, Err(TableError::Invalid(_))));
    assert!(table.get(&Key::new(&pk, "X000")).await.expect("get").is_none());
}

/// A scan finds the items of one sort key across partitions, in pages, each once.
pub async fn scan_finds_one_sort_key_across_partitions_in_pages(table: &dyn Table) {
    let sk = fresh("SCAN");
    let pks: Vec<String> = (0..5).map(|i| fresh(&format!("scan{i}"))).collect();
    let mut writes: Vec<Write> = pks
        .iter()
        .map(|pk| Write::Put {
            item: item(json!({"pk": pk, "sk": sk, "v": pk})),
            condition: Condition::Always,
        })
        .collect();
    writes.push(Write::Put {
        item: item(json!({"pk": pks[0], "sk": format!("{sk}X")})),
        condition: Condition::Always,
    });
    table.transact(writes).await.expect("seed");
    let mut seen: Vec<String> = Vec::new();
    let mut cursor = None;
    for _ in 0..10 {
        let page = table.scan(&sk, cursor.as_ref(), 2).await.expect("scan");
        assert!(page.items.len() <= 2, "a page holds at most the limit");
        assert!(page.items.iter().all(|i| i["sk"] == sk.as_str()), "only the sort key asked");
        seen.extend(page.items.iter().map(|i| i["pk"].as_str().expect("pk").to_owned()));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    let mut expected = pks.clone();
    expected.sort();
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(sorted, expected, "each partition once: {seen:?}");
    let whole = table.scan(&sk, None, 1000).await.expect("scan");
    assert_eq!(whole.items.len(), 5);
    assert!(whole.next.is_none());
}

/// Queries read one partition in sort-key order, filter by sort key, and page without
/// losing or repeating items.
pub async fn query_orders_filters_and_pages(table: &dyn Table) {
    let pk = fresh("query");
    let writes = ["ITEM#03", "ITEM#01", "ITEM#02", "OTHER#01", "ITEM#05", "ITEM#04"]
        .iter()
        .map(|sk| Write::Put {
            item: item(json!({"pk": pk, "sk": sk})),
            condition: Condition::Always,
        })
        .collect();
    table.transact(writes).await.expect("seed");
    table
        .put(item(json!({"pk": format!("{pk}X"), "sk": "ITEM#00"})), Condition::Always)
        .await
        .expect("neighbour partition");
    let all = table.query(&Query::partition(Index::Primary, &pk)).await.expect("query");
    assert_eq!(sks(&all.items), ["ITEM#01", "ITEM#02", "ITEM#03", "ITEM#04", "ITEM#05", "OTHER#01"]);
    assert!(all.next.is_none());
    let prefixed = Query::partition(Index::Primary, &pk).sort(SortKey::BeginsWith("ITEM#".into()));
    let mut seen = Vec::new();
    let mut cursor = None;
    for _ in 0..5 {
        let page = table.query(&prefixed.clone().limit(2).after(cursor)).await.expect("page");
        assert!(page.items.len() <= 2);
        seen.extend(sks(&page.items));
        cursor = page.next;
        if cursor.is_none() {
            break;
        }
    }
    assert_eq!(seen, ["ITEM#01", "ITEM#02", "ITEM#03", "ITEM#04", "ITEM#05"]);
    let between = table
        .query(&Query::partition(Index::Primary, &pk).sort(SortKey::Between("ITEM#02".into(), "ITEM#04".into())))
        .await
        .expect("query");
    assert_eq!(sks(&between.items), ["ITEM#02", "ITEM#03", "ITEM#04"]);
    let exact_page = table.query(&prefixed.clone().limit(5)).await.expect("query");
    assert_eq!(exact_page.items.len(), 5);
    assert!(
        exact_page.next.is_none(),
        "a page that ends exactly at the last item has no next cursor"
    );
}

/// Descending order pages newest first.
pub async fn query_backward_pages_newest_first(table: &dyn Table) {
    let pk = fresh("backward");
    for i in 1..=5 {
        table
            .put(item(json!({"pk": pk, "sk": format!("2026-11-0{i}")})), Condition::Always)
            .await
            .expect("seed");
    }
    let query = Query::partition(Index::Primary, &pk).backward().limit(3);
    let first = table.query(&query).await.expect("page 1");
    assert_eq!(sks(&first.items), ["2026-11-05", "2026-11-04", "2026-11-03"]);
    let second = table.query(&query.clone().after(first.next)).await.expect("page 2");
    assert_eq!(sks(&second.items), ["2026-11-02", "2026-11-01"]);
    assert!(second.next.is_none());
}

/// Only items with both index attributes are in a GSI, and an update moves the entry.
pub async fn gsi_is_sparse_and_follows_updates(table: &dyn Table) {
    let queue = fresh("queue");
    let pk = fresh("gsi");
    table
        .put(
            item(json!({"pk": pk, "sk": "A", "gsi1pk": queue, "gsi1sk": "2026-11-02#A"})),
            Condition::Always,
        )
        .await
        .expect("a");
    table
        .put(
            item(json!({"pk": pk, "sk": "B", "gsi1pk": queue, "gsi1sk": "2026-11-01#B"})),
            Condition::Always,
        )
        .await
        .expect("b");
    table
        .put(item(json!({"pk": pk, "sk": "C"})), Condition::Always)
        .await
        .expect("c, not indexed");
    let page = table.query(&Query::partition(Index::Gsi1, &queue)).await.expect("query");
    assert_eq!(sks(&page.items), ["B", "A"]);
    // A leaves the queue (its index attributes are removed) and B moves within it.
    table
        .put(item(json!({"pk": pk, "sk": "A"})), Condition::Always)
        .await
        .expect("dequeue a");
    table
        .put(
            item(json!({"pk": pk, "sk": "B", "gsi1pk": queue, "gsi1sk": "2026-11-03#B", "v": 2})),
            Condition::Always,
        )
        .await
        .expect("move b");
    let page = table.query(&Query::partition(Index::Gsi1, &queue)).await.expect("query");
    assert_eq!(sks(&page.items), ["B"]);
    assert_eq!(page.items[0]["v"], 2, "the index returns the whole current item");
    table
        .put(
            item(json!({"pk": pk, "sk": "D", "gsi1pk": queue, "gsi1sk": "2026-11-04#D"})),
            Condition::Always,
        )
        .await
        .expect("d");
    let first = table.query(&Query::partition(Index::Gsi1, &queue).limit(1)).await.expect("page");
    let rest = table
        .query(&Query::partition(Index::Gsi1, &queue).limit(5).after(first.next))
        .await
        .expect("page");
    assert_eq!((sks(&first.items), sks(&rest.items)), (vec!["B".to_owned()], vec!["D".to_owned()]));
}

/// Twenty racing creates of one item: exactly one wins, the rest see `ConditionFailed`.
pub async fn concurrent_creates_have_exactly_one_winner(table: &dyn Table) {
    let pk = fresh("race");
    let attempts = (0..20).map(|i| table.put(item(json!({"pk": pk, "sk": "OPEN", "by": i})), Condition::NotExists));
    let results = crate::join_all(attempts).await;
    let wins = results.iter().filter(|r| r.is_ok()).count();
    let conflicts = results.iter().filter(|r| matches!(r, Err(TableError::ConditionFailed))).count();
    assert_eq!((wins, conflicts), (1, 19));
}

/// TTL deletion is late: an item past `expires_at` is still returned until deleted.
pub async fn expired_items_stay_readable_until_deleted(table: &dyn Table) {
    let pk = fresh("late-ttl");
    table
        .put(item(json!({"pk": pk, "sk": "OTP", "expires_at": 1_000})), Condition::Always)
        .await
        .expect("seed");
    let got = table.get(&Key::new(&pk, "OTP")).await.expect("get");
    assert_eq!(
        got.and_then(|i| i["expires_at"].as_i64()),
        Some(1_000),
        "readers must check expires_at themselves"
    );
}
