//! The data migrations (`gongshi_store::migrations`) on one adapter: the same cases run on
//! the embedded table (tests/adapters) and on DynamoDB through the emulator (tests/emulator).

use gongshi_platform::{Condition, Item, Key, Table};
use gongshi_store::applications::{self, ApplicantPerson, Application, ClauseConsent};
use gongshi_store::audit::{self, AuditEntry};
use gongshi_store::{clauses, migrations, unit_accounts};
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
    assert!(first.ran.contains(&"clauses-current"), "{first:?}");
    assert_eq!(first.written, 1, "the one copy (no application lacks its history here)");
    let current = clauses::current_of(table.get(&clauses::current_key()).await.expect("get"))
        .expect("decode")
        .expect("copied");
    assert_eq!((current.version, current.title.as_str()), (3, "执业公示承诺书（2026版）"));

    let again = migrations::run(table).await.expect("second run");
    assert!(again.ran.is_empty(), "a recorded step is not run again: {again:?}");
    migrations::forget(table).await.expect("forget");
    let forced = migrations::run(table).await.expect("forced run");
    assert_eq!(
        (forced.ran.len(), forced.written),
        (first.ran.len(), 0),
        "the steps themselves are idempotent"
    );
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
    assert_eq!(report.written, 0, "{report:?}");
    assert!(table.get(&clauses::current_key()).await.expect("get").is_none());
    clean(table, &[]).await;
}

/// An application as written before the history copy and the unit's markers: no history,
/// no marker.
fn old_application(id: &str, state: gongshi_core::practice::ApplicationState) -> Application {
    let at = time::macros::datetime!(2026-03-02 09:00 UTC);
    Application {
        id: id.to_owned(),
        number: "SB20260302-MIGRATED".into(),
        unit_id: "01MIGRATIONUNIT".into(),
        unit_name: "厦门市特种设备检验检测院".into(),
        kind: gongshi_core::practice::ApplicationKind::Initial,
        state,
        person: ApplicantPerson {
            id_number: gongshi_core::IdNumber::parse("11010519491231002X", time::macros::date!(2026 - 03 - 02)).expect("id"),
            name: gongshi_core::Name::parse("王五").expect("name"),
            mobile: None,
        },
        items: Vec::new(),
        previous: None,
        resignation_proof: None,
        clauses: ClauseConsent {
            version: 1,
            title: "执业公示承诺书".into(),
            confirmed_by: "xmtjy".into(),
            confirmed_at: at,
        },
        created_at: at,
        created_by: "xmtjy".into(),
        deadline: at + time::Duration::days(7),
        state_since: at,
        scan: None,
        code_sent_at: None,
        decision: None,
        end_reason: None,
        certificate_no: None,
        reason: None,
        history: Vec::new(),
        corrections: Vec::new(),
        claim: None,
        version: 3,
    }
}

/// An application written before records kept their history (none in the record, three
/// entries in the audit trail) keeps a copy of the trail after the migration, at the same
/// version; running it again writes nothing.
pub async fn an_application_older_than_its_history_copy_gets_it_from_the_audit_trail(table: &dyn Table) {
    let id = format!("01MIGRATION{:015}", std::process::id());
    let at = time::macros::datetime!(2026-03-02 09:00 UTC);
    let app = old_application(&id, gongshi_core::practice::ApplicationState::UnderReview);
    let steps = [
        ("application.created", None, "created"),
        ("application.scan_uploaded", Some("created"), "awaiting_confirmation"),
        ("application.confirmed", Some("awaiting_confirmation"), "under_review"),
    ];
    let mut writes = vec![applications::create(&app)];
    for (i, (action, from, to)) in steps.iter().enumerate() {
        let entry = AuditEntry {
            entity: app.entity(),
            action: (*action).into(),
            actor: "xmtjy".into(),
            from: from.map(str::to_owned),
            to: Some((*to).into()),
            reason: None,
            at: at + time::Duration::minutes(i as i64),
        };
        writes.push(audit::record(&entry, &format!("{i:02}")));
    }
    table.transact(writes).await.expect("an old application");
    migrations::forget(table).await.expect("forget");

    migrations::run(table).await.expect("migration");
    let stored = applications::get(table, &id).await.expect("get").expect("stored");
    let actions: Vec<&str> = stored.history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["application.created", "application.scan_uploaded", "application.confirmed"]
    );
    assert_eq!(stored.version, 3, "the copy is no change of the application");
    assert_eq!(
        Application {
            history: Vec::new(),
            corrections: Vec::new(),
            claim: None,
            ..stored.clone()
        },
        app
    );

    migrations::forget(table).await.expect("forget");
    let again = migrations::run(table).await.expect("again");
    assert_eq!(again.written, 0, "{again:?}");
    assert_eq!(applications::get(table, &id).await.expect("get").expect("stored"), stored);
    for key in [applications::key(&id), applications::open_key(&app.unit_id, &id)] {
        table.delete(&key, Condition::Always).await.expect("clean");
    }
    migrations::forget(table).await.expect("forget");
}

/// Open applications written before units marked them are marked after the migration, so the
/// unit home lists them; an ended one is not; running it again writes nothing.
pub async fn open_applications_older_than_the_units_markers_are_on_the_unit_home_after_the_migration(table: &dyn Table) {
    use gongshi_core::practice::ApplicationState;
    let open = format!("01MIGRATIONOPEN{:011}", std::process::id());
    let ended = format!("01MIGRATIONDONE{:011}", std::process::id());
    let mut old_open = old_application(&open, ApplicationState::AwaitingConfirmation);
    old_open.unit_id = format!("01MIGRATIONOPENUNIT{}", std::process::id());
    let mut old_ended = old_application(&ended, ApplicationState::Rejected);
    old_ended.unit_id = old_open.unit_id.clone();
    old_ended.number = "SB20260302-ENDED".into();
    let unit_id = old_open.unit_id.clone();
    table
        .transact(vec![applications::create(&old_open), applications::create(&old_ended)])
        .await
        .expect("old applications");
    assert!(
        gongshi_store::units::partition(table, &unit_id)
            .await
            .expect("read")
            .open_applications
            .is_empty()
    );
    migrations::forget(table).await.expect("forget");

    let report = migrations::run(table).await.expect("migration");
    assert!(report.ran.contains(&"unit-open-applications"), "{report:?}");
    let marked = gongshi_store::units::partition(table, &unit_id)
        .await
        .expect("read")
        .open_applications;
    assert_eq!(marked, vec![applications::OpenApplication::of(&old_open)], "the open one only");
    assert_eq!(marked[0].state, ApplicationState::AwaitingConfirmation);
    assert_eq!(
        applications::get(table, &open).await.expect("get").expect("stored").version,
        old_open.version,
        "the application itself is not changed"
    );

    migrations::forget(table).await.expect("forget");
    let again = migrations::run(table).await.expect("again");
    assert_eq!(again.written, 0, "{again:?}");
    for key in [
        applications::key(&open),
        applications::key(&ended),
        applications::open_key(&unit_id, &open),
    ] {
        table.delete(&key, Condition::Always).await.expect("clean");
    }
    migrations::forget(table).await.expect("forget");
}

fn registry_item(id_number: &str, certificate_no: &str, code: &str, name: &str) -> Item {
    let item = gongshi_core::practice::CertificateItem {
        certificate_no: certificate_no.into(),
        code: code.into(),
        name: name.into(),
        level: "II".into(),
        issuer: "福建省市场监督管理局".into(),
        issued_on: time::macros::date!(2024 - 07 - 01),
        valid_until: time::macros::date!(2030 - 06 - 30),
        status: gongshi_core::practice::ItemStatus::Valid,
    };
    let mut value = serde_json::to_value(item).expect("item");
    value["pk"] = json!(format!("PRAC#{id_number}"));
    value["sk"] = json!(format!("ITEM#{certificate_no}#{code}"));
    match value {
        serde_json::Value::Object(map) => map,
        _ => unreachable!(),
    }
}

/// A person imported before the certificate items moved into the profile (a profile with
/// the name only, one `ITEM#` row per item): read by key (the append and renewal lists) the
/// items are found through the rows; after the migration they are in the profile, the rows
/// are gone, and a second run writes nothing.
pub async fn a_person_imported_before_the_items_moved_has_them_in_the_profile_after_the_migration(table: &dyn Table) {
    use gongshi_store::practitioners;
    let today = time::macros::date!(2026 - 03 - 02);
    // A fresh valid id number per run (the emulator's table is shared): 110105 19491231 + serial.
    let serial = std::process::id() % 1000;
    let id_number = gongshi_core::IdNumber::parse(&checked_id(&format!("11010519491231{serial:03}")), today).expect("id");
    let id = id_number.as_str().to_owned();
    let mut profile = json!({"pk": format!("PRAC#{id}"), "sk": "PROFILE", "id_number": id, "name": "赵六"});
    let profile = match profile.take() {
        serde_json::Value::Object(map) => map,
        _ => unreachable!(),
    };
    table
        .transact(vec![
            gongshi_platform::Write::Put {
                item: profile,
                condition: Condition::Always,
            },
            gongshi_platform::Write::Put {
                item: registry_item(&id, "TS7110001", "GL-1", "锅炉定期检验"),
                condition: Condition::Always,
            },
            gongshi_platform::Write::Put {
                item: registry_item(&id, "TS7110001", "RQ-1", "气瓶定期检验"),
                condition: Condition::Always,
            },
        ])
        .await
        .expect("an old person");
    migrations::forget(table).await.expect("forget");

    let record = practitioners::PublicityRecord {
        id_number: id_number.clone(),
        name: gongshi_core::Name::parse("赵六").expect("name"),
        publicity: gongshi_core::practice::Publicity {
            certificate_no: "GS-MIGRATION".into(),
            unit_id: "01MIGRATIONUNIT".into(),
            unit_name: "厦门市特种设备检验检测院".into(),
            application_id: "01MIGRATIONAPP".into(),
            items: Vec::new(),
            valid_from: today,
            valid_until: today,
            cancelled: false,
            ended_on: None,
        },
    };
    let before = practitioners::people(table, std::slice::from_ref(&record))
        .await
        .expect("read by key");
    let codes = |items: &[gongshi_core::practice::CertificateItem]| items.iter().map(|i| i.code.clone()).collect::<Vec<_>>();
    assert_eq!(codes(&before[0].items), ["GL-1", "RQ-1"], "before: the rows are read");

    let report = migrations::run(table).await.expect("migration");
    assert!(report.ran.contains(&"registry-items"), "{report:?}");
    let key = practitioners::profile_key(&id_number);
    let stored = table.get(&key).await.expect("get").expect("profile");
    let items = stored["items"].as_array().expect("the items are in the profile");
    assert_eq!(items.len(), 2);
    assert_eq!(stored["name"], "赵六");
    let rows = table
        .query(
            &gongshi_platform::Query::partition(gongshi_platform::Index::Primary, format!("PRAC#{id}"))
                .sort(gongshi_platform::SortKey::BeginsWith("ITEM#".into())),
        )
        .await
        .expect("query");
    assert!(rows.items.is_empty(), "the rows are removed");
    let after = practitioners::person(table, &id_number).await.expect("person");
    assert_eq!(codes(&after.items), ["GL-1", "RQ-1"]);
    let by_key = practitioners::people(table, std::slice::from_ref(&record))
        .await
        .expect("read by key");
    assert_eq!(codes(&by_key[0].items), ["GL-1", "RQ-1"]);
    // The step after it, `item-dictionary`, offers the person's items (#17 bug 7).
    let dictionary: Vec<String> = gongshi_store::item_codes::all(table)
        .await
        .expect("dictionary")
        .into_iter()
        .map(|entry| entry.code)
        .collect();
    assert!(
        ["GL-1", "RQ-1"].iter().all(|code| dictionary.iter().any(|c| c == code)),
        "{dictionary:?}"
    );

    migrations::forget(table).await.expect("forget");
    let again = migrations::run(table).await.expect("again");
    assert_eq!(again.written, 0, "{again:?}");
    assert_eq!(table.get(&key).await.expect("get").expect("profile"), stored);
    table.delete(&key, Condition::Always).await.expect("clean");
    migrations::forget(table).await.expect("forget");
}

/// `first17` with its check character (GB 11643).
fn checked_id(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17.chars().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap_or(0) * w).sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{first17}{check}")
}

/// A unit approved before its scopes were kept with it (no `scopes` in its profile, one
/// approved certificate and one still waiting for review): eligibility reads its
/// certificates until the migration; after it the unit holds the approved scope only, and a
/// second run writes nothing.
pub async fn a_unit_older_than_its_scopes_gets_them_from_its_approved_certificates(table: &dyn Table) {
    use gongshi_core::registration::{Qualification, QualificationKind, UploadRef};
    use gongshi_store::{qualifications, units};
    let at = time::macros::datetime!(2026-03-02 09:00 UTC);
    let unit_id = format!("01MIGRATIONSCOPES{:09}", std::process::id());
    let unit = unit_record(&unit_id);
    let qualification = |items: &[&str]| Qualification {
        kind: QualificationKind::Approval,
        certificate_no: "TS7310001-2026".into(),
        authority: gongshi_core::Name::parse("国家市场监督管理总局").expect("name"),
        items: items.iter().map(|i| (*i).to_owned()).collect(),
        valid_from: time::macros::date!(2025 - 01 - 01),
        valid_until: time::macros::date!(2029 - 12 - 31),
        scan: UploadRef {
            upload_id: "01MIGRATIONSCAN".into(),
            file_name: "资质.pdf".into(),
            content_type: "application/pdf".into(),
            size: 1024,
        },
    };
    let certificate = |id: &str, items: &[&str], approved: bool| qualifications::UnitQualification {
        id: id.into(),
        unit_id: unit_id.clone(),
        qualification: qualification(items),
        approved,
        pending: None,
        created_at: at,
        updated_at: at,
        version: 1,
    };
    table
        .transact(vec![
            units::create(&unit),
            qualifications::create(&certificate("01APPROVED", &["GL-1", "RQ-1"], true)),
            qualifications::create(&certificate("01WAITING", &["DT-1"], false)),
        ])
        .await
        .expect("an old unit");
    let item = table.get(&units::key(&unit_id)).await.expect("get").expect("unit");
    assert!(!item.contains_key("scopes"), "written as before");
    migrations::forget(table).await.expect("forget");

    let report = migrations::run(table).await.expect("migration");
    assert!(report.ran.contains(&"unit-scopes"), "{report:?}");
    let migrated = units::get(table, &unit_id).await.expect("get").expect("unit");
    let scopes = migrated.scopes.clone().expect("the scopes are kept with the unit");
    assert_eq!(scopes.len(), 1, "only the approved certificate: {scopes:?}");
    assert_eq!(
        (scopes[0].qualification_id.as_str(), scopes[0].items.clone()),
        ("01APPROVED", vec!["GL-1".to_owned(), "RQ-1".to_owned()])
    );
    assert_eq!(migrated.version, 4, "no change of the unit's own data");

    migrations::forget(table).await.expect("forget");
    let again = migrations::run(table).await.expect("again");
    assert_eq!(again.written, 0, "{again:?}");
    for key in [
        units::key(&unit_id),
        qualifications::key(&unit_id, "01APPROVED"),
        qualifications::key(&unit_id, "01WAITING"),
    ] {
        table.delete(&key, Condition::Always).await.expect("clean");
    }
    migrations::forget(table).await.expect("forget");
}

/// A unit as stored (version 4, without scopes), its contact 李四.
fn unit_record(unit_id: &str) -> gongshi_store::units::Unit {
    use gongshi_core::registration::Contact;
    let today = time::macros::date!(2026 - 03 - 02);
    gongshi_store::units::Unit {
        id: unit_id.to_owned(),
        name: gongshi_core::Name::parse("厦门市特种设备检验检测院").expect("name"),
        uscc: gongshi_core::Uscc::parse("91350200776049653A").expect("uscc"),
        legal_representative: gongshi_core::Name::parse("张三").expect("name"),
        address: gongshi_core::Address::parse("厦门市湖里区安岭路1号").expect("address"),
        postcode: gongshi_core::Postcode::parse("361000").expect("postcode"),
        contact: Contact {
            name: gongshi_core::Name::parse("李四").expect("name"),
            id_number: gongshi_core::IdNumber::parse("11010519491231002X", today).expect("id"),
            mobile: gongshi_core::Mobile::parse("13800138000").expect("mobile"),
            email: gongshi_core::Email::parse("lisi@example.com").expect("email"),
        },
        licence: None,
        registration_id: None,
        approved_at: time::macros::datetime!(2026-03-02 09:00 UTC),
        scopes: None,
        version: 4,
    }
}

/// #17 bug 19: an admin activated or imported before the change carries its unit's name as
/// its 姓名. The migration names it after the unit's authorised contact; an admin whose user
/// chose another name, and a sub-account, keep theirs; a second run writes nothing.
pub async fn a_unit_admin_named_after_its_unit_is_named_after_its_contact(table: &dyn Table) {
    use gongshi_core::account::{AccountStatus, Role};
    use gongshi_store::{accounts, units};
    let suffix = std::process::id();
    let unit_id = format!("01MIGRATIONADMINS{suffix:09}");
    let unit = unit_record(&unit_id);
    let account = |username: &str, role: Role, display_name: &str| accounts::Account {
        username: username.to_owned(),
        role,
        status: AccountStatus::Active,
        password_hash: String::new(),
        display_name: display_name.to_owned(),
        unit_id: Some(unit_id.clone()),
        registration_id: None,
        token_version: 1,
        failed_logins: 0,
        locked_until: None,
        created_at: time::macros::datetime!(2026-03-02 09:00 UTC),
        version: 3,
        expires_at: None,
        branch_id: None,
        legacy_hash: None,
        password_change: None,
        ended_sessions: Vec::new(),
    };
    let now = time::macros::datetime!(2026-03-02 09:00 UTC);
    let (old, chosen, staff) = (format!("m_old{suffix}"), format!("m_chosen{suffix}"), format!("m_staff{suffix}"));
    table
        .transact(vec![
            units::create(&unit),
            accounts::create(&account(&old, Role::UnitAdmin, "厦门市特种设备检验检测院"), now),
            accounts::create(&account(&chosen, Role::UnitAdmin, "王主任"), now),
            accounts::create(&account(&staff, Role::UnitStaff, "厦门市特种设备检验检测院"), now),
        ])
        .await
        .expect("accounts as stored before");
    migrations::forget(table).await.expect("forget");

    let report = migrations::run(table).await.expect("migration");
    assert!(report.ran.contains(&"unit-admin-names"), "{report:?}");
    let name = |username: String| async move {
        let a = accounts::get(table, &username).await.expect("get").expect("account");
        (a.display_name, a.version)
    };
    assert_eq!(name(old.clone()).await, ("李四".to_owned(), 4), "named after the contact");
    assert_eq!(name(chosen.clone()).await, ("王主任".to_owned(), 3), "a chosen name stays");
    assert_eq!(
        name(staff.clone()).await,
        ("厦门市特种设备检验检测院".to_owned(), 3),
        "a sub-account's name is its own"
    );

    migrations::forget(table).await.expect("forget");
    let again = migrations::run(table).await.expect("again");
    assert_eq!(again.written, 0, "{again:?}");
    for key in [
        units::key(&unit_id),
        accounts::key(&old),
        accounts::key(&chosen),
        accounts::key(&staff),
    ] {
        table.delete(&key, Condition::Always).await.expect("clean");
    }
    migrations::forget(table).await.expect("forget");
}

/// #15: a branch written before branches were in the unit's accounts index (no gsi1 keys)
/// is missing from the one query that lists a unit's branches with their accounts until the
/// migration `branch-index` writes it again with them; a second run writes nothing.
pub async fn a_branch_older_than_the_accounts_index_is_listed_after_the_migration(table: &dyn Table) {
    use gongshi_store::{branches, units};
    let unit_id = format!("01MIGRATIONBRANCH{:09}", std::process::id());
    let branch = branches::Branch {
        id: "01MIGRATIONBRANCHID".into(),
        unit_id: unit_id.clone(),
        name: gongshi_core::Name::parse("翔安分院").expect("name"),
        address: gongshi_core::Address::parse("厦门市翔安区新店镇1号").expect("address"),
        contact_name: gongshi_core::Name::parse("王五").expect("name"),
        contact_mobile: gongshi_core::Mobile::parse("13900139000").expect("mobile"),
        enabled: true,
        created_at: time::macros::datetime!(2026-03-02 09:00 UTC),
        version: 2,
    };
    // As stored before: the item without its index keys.
    let mut old = match serde_json::to_value(&branch).expect("encode") {
        serde_json::Value::Object(map) => map,
        _ => unreachable!(),
    };
    let key = branches::key(&unit_id, &branch.id);
    old.insert("pk".into(), key.pk.clone().into());
    old.insert("sk".into(), key.sk.clone().into());
    table.transact(vec![units::create(&unit_record(&unit_id))]).await.expect("unit");
    table.put(old, Condition::NotExists).await.expect("an old branch");
    let before = unit_accounts::read(table, &unit_id).await.expect("list").branches;
    assert!(before.is_empty(), "before: the query does not see it");
    migrations::forget(table).await.expect("forget");

    let report = migrations::run(table).await.expect("migration");
    assert!(report.ran.contains(&"branch-index"), "{report:?}");
    let unit_accounts::UnitAccounts {
        branches: after, accounts, ..
    } = unit_accounts::read(table, &unit_id).await.expect("list");
    assert_eq!(after, vec![branch.clone()], "listed, unchanged");
    assert!(accounts.is_empty());

    migrations::forget(table).await.expect("forget");
    let again = migrations::run(table).await.expect("again");
    assert_eq!(again.written, 0, "{again:?}");
    for key in [units::key(&unit_id), key] {
        table.delete(&key, Condition::Always).await.expect("clean");
    }
    migrations::forget(table).await.expect("forget");
}

/// #15: a unit profile written before profiles were in the unit's accounts index is missing
/// from the one query that brings a unit with its accounts (the appeal review) until the
/// migration `unit-index` writes it again with its index keys; a second run writes nothing.
pub async fn a_unit_older_than_the_accounts_index_is_read_with_its_accounts_after_the_migration(table: &dyn Table) {
    use gongshi_store::units;
    let unit_id = format!("01MIGRATIONUNITIDX{:08}", std::process::id());
    // With its scopes (none approved), so that `unit-scopes`, run in the same pass, leaves it be.
    let unit = units::Unit {
        scopes: Some(Vec::new()),
        ..unit_record(&unit_id)
    };
    // As stored before: the profile without its index keys.
    let mut old = match serde_json::to_value(&unit).expect("encode") {
        serde_json::Value::Object(map) => map,
        _ => unreachable!(),
    };
    let key = units::key(&unit_id);
    old.insert("pk".into(), key.pk.clone().into());
    old.insert("sk".into(), key.sk.clone().into());
    table.put(old, Condition::NotExists).await.expect("an old unit");
    let before = unit_accounts::read(table, &unit_id).await.expect("read");
    assert_eq!(before.unit, None, "before: the query does not see it");
    migrations::forget(table).await.expect("forget");

    let report = migrations::run(table).await.expect("migration");
    assert!(report.ran.contains(&"unit-index"), "{report:?}");
    let after = unit_accounts::read(table, &unit_id).await.expect("read");
    assert_eq!(after.unit, Some(unit.clone()), "read with its accounts, unchanged");
    assert_eq!(
        units::get(table, &unit_id).await.expect("get"),
        Some(unit),
        "the profile itself unchanged"
    );

    migrations::forget(table).await.expect("forget");
    let again = migrations::run(table).await.expect("again");
    assert_eq!(again.written, 0, "{again:?}");
    table.delete(&key, Condition::Always).await.expect("clean");
    migrations::forget(table).await.expect("forget");
}

/// #15: a registration in review made before registrations kept their history beside them
/// has its history only in the audit trail (the review then reads it there, one query more);
/// the migration `registration-history` copies the trail beside it; a second run writes
/// nothing.
pub async fn a_registration_older_than_its_history_copy_gets_it_from_the_audit_trail(table: &dyn Table) {
    use gongshi_core::registration::{BasicInfo, Registration, RegistrationState};
    use gongshi_store::{audit, registrations};
    let at = time::macros::datetime!(2026-03-02 09:00 UTC);
    let basic = BasicInfo {
        username: gongshi_core::Username::parse("xmhistory").expect("username"),
        unit_name: gongshi_core::Name::parse("厦门市特种设备检验检测院").expect("name"),
        uscc: gongshi_core::Uscc::parse("91350200776049653A").expect("uscc"),
        legal_representative: gongshi_core::Name::parse("张三").expect("name"),
        address: gongshi_core::Address::parse("厦门市湖里区安岭路1号").expect("address"),
        postcode: gongshi_core::Postcode::parse("361000").expect("postcode"),
    };
    let id = format!("01MIGRATIONREGHIST{:08}", std::process::id());
    let mut registration = Registration::new(id.clone(), basic, at, time::Duration::days(30));
    registration.state = RegistrationState::Submitted;
    registration.submitted_at = Some(at + time::Duration::hours(1));
    let entry = |action: &str, from: Option<&str>, to: &str, minutes: i64| audit::AuditEntry {
        entity: registrations::entity(&id),
        action: action.into(),
        actor: "xmhistory".into(),
        from: from.map(str::to_owned),
        to: Some(to.into()),
        reason: None,
        at: at + time::Duration::minutes(minutes),
    };
    let trail = vec![
        entry("registration.created", None, "draft", 0),
        entry("registration.submitted", Some("draft"), "submitted", 60),
    ];
    // As stored before: the record and its audit trail, nothing beside it.
    let mut writes = vec![registrations::create(&registration)];
    writes.extend(
        trail
            .iter()
            .enumerate()
            .map(|(n, e)| audit::record(e, &format!("01MIGRATIONAUDIT{n:010}"))),
    );
    table.transact(writes).await.expect("an old registration");
    assert_eq!(table.get(&registrations::history_key(&id)).await.expect("read"), None);
    migrations::forget(table).await.expect("forget");

    let report = migrations::run(table).await.expect("migration");
    assert!(report.ran.contains(&"registration-history"), "{report:?}");
    let kept: registrations::History = table
        .get(&registrations::history_key(&id))
        .await
        .expect("read")
        .map(gongshi_store::decode)
        .transpose()
        .expect("decode")
        .expect("the history beside the record");
    assert_eq!(kept.entries, trail, "the trail, oldest first");

    migrations::forget(table).await.expect("forget");
    let again = migrations::run(table).await.expect("again");
    assert_eq!(again.written, 0, "{again:?}");
    for key in [registrations::key(&id), registrations::history_key(&id)] {
        table.delete(&key, Condition::Always).await.expect("clean");
    }
    migrations::forget(table).await.expect("forget");
}

/// A publicity issued before units marked their publicities is marked after the migration,
/// with whether its person has a verified mobile; a cancelled one is not; running it again
/// writes nothing. A mobile registered afterwards marks the person reachable.
pub async fn publicities_older_than_the_units_markers_are_counted_after_the_migration(table: &dyn Table) {
    use gongshi_core::practice::Publicity;
    use gongshi_store::practitioners::{self, PublicityRecord, UnitPublicity};
    let unit_id = format!("01MIGRATIONPUBUNIT{}", std::process::id());
    let record = |n: u32, cancelled: bool| PublicityRecord {
        id_number: gongshi_core::IdNumber::parse(
            &crate::id_number(&format!("35020319900303{n:03}")),
            time::macros::date!(2026 - 03 - 02),
        )
        .expect("id"),
        name: gongshi_core::Name::parse("王五").expect("name"),
        publicity: Publicity {
            certificate_no: format!("GS-MIGRATED-{n}"),
            unit_id: unit_id.clone(),
            unit_name: "厦门市特种设备检验检测院".into(),
            items: Vec::new(),
            valid_from: time::macros::date!(2026 - 03 - 02),
            valid_until: time::macros::date!(2030 - 06 - 30),
            cancelled,
            ended_on: None,
            application_id: format!("OLD{n}"),
        },
    };
    let (active, cancelled) = (record(1, false), record(2, true));
    // As written before the markers: the publicity items only.
    let [old_active, _] = practitioners::put_publicity(&active, None);
    let [old_cancelled, _] = practitioners::put_publicity(&cancelled, None);
    table.transact(vec![old_active, old_cancelled]).await.expect("old publicities");
    assert!(
        gongshi_store::units::partition(table, &unit_id)
            .await
            .expect("read")
            .publicities
            .is_empty()
    );
    migrations::forget(table).await.expect("forget");

    let report = migrations::run(table).await.expect("migration");
    assert!(report.ran.contains(&"unit-publicities"), "{report:?}");
    let marked = gongshi_store::units::partition(table, &unit_id).await.expect("read").publicities;
    assert_eq!(
        marked,
        vec![UnitPublicity {
            certificate_no: "GS-MIGRATED-1".into(),
            name: "王五".into(),
            valid_until: time::macros::date!(2030 - 06 - 30),
            has_mobile: Some(false),
        }],
        "the one in force, without a mobile"
    );
    migrations::forget(table).await.expect("forget");
    assert_eq!(migrations::run(table).await.expect("again").written, 0);

    table
        .transact(vec![practitioners::unit_publicity_has_mobile(&active)])
        .await
        .expect("a mobile registered");
    let marked = gongshi_store::units::partition(table, &unit_id).await.expect("read").publicities;
    assert_eq!(marked[0].has_mobile, Some(true));
    assert_eq!(marked[0].valid_until, active.publicity.valid_until, "the rest kept");
    for key in [
        practitioners::publicity_key(&active.id_number),
        practitioners::publicity_key(&cancelled.id_number),
        practitioners::unit_publicity_key(&unit_id, "GS-MIGRATED-1"),
    ] {
        table.delete(&key, Condition::Always).await.expect("clean");
    }
    migrations::forget(table).await.expect("forget");
}
