//! What an item deleted by the table's TTL was, for the stream handler (functions/ttl-stream)
//! and the embedded TTL sweeper: the keys are read here, where they are built.

use gongshi_platform::Item;
use serde_json::Value;

/// An item that expired, as far as anything follows from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expired {
    /// An application's deadline marker (`APP#<id>` / `DEADLINE`): the application expires
    /// unless it moved on.
    ApplicationDeadline {
        /// The application.
        application_id: String,
    },
    /// An upload never attached (`UPLOAD#<id>`): its file goes too.
    Upload {
        /// The upload.
        upload_id: String,
    },
    /// A registration draft never submitted (`REG#<id>` in state `draft`): its attached
    /// uploads (records and files) go too.
    RegistrationDraft {
        /// The uploads it had attached.
        upload_ids: Vec<String>,
    },
    /// Anything else (sessions, codes, counters, markers): nothing follows.
    Nothing,
}

/// What the expired `item` was.
pub fn classify(item: &Item) -> Expired {
    let text = |name: &str| item.get(name).and_then(Value::as_str).unwrap_or_default();
    let (pk, sk) = (text("pk"), text("sk"));
    if let (Some(application_id), "DEADLINE") = (pk.strip_prefix("APP#"), sk) {
        return Expired::ApplicationDeadline {
            application_id: application_id.to_owned(),
        };
    }
    if let Some(upload_id) = pk.strip_prefix("UPLOAD#") {
        return Expired::Upload {
            upload_id: upload_id.to_owned(),
        };
    }
    if pk.starts_with("REG#") && text("state") == "draft" {
        let image = Value::Object(item.clone());
        let attached = [image.pointer("/licence/upload_id"), image.pointer("/qualification/scan/upload_id")];
        return Expired::RegistrationDraft {
            upload_ids: attached
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
        };
    }
    Expired::Nothing
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn item(value: Value) -> Item {
        match value {
            Value::Object(map) => map,
            _ => Item::new(),
        }
    }

    #[test]
    fn each_expiring_record_is_recognised_by_its_key() {
        let deadline = item(json!({"pk": crate::applications::key("A1").pk, "sk": "DEADLINE"}));
        assert_eq!(
            classify(&deadline),
            Expired::ApplicationDeadline {
                application_id: "A1".into()
            }
        );
        let upload = item(json!({"pk": crate::uploads::key("U1").pk, "sk": "UPLOAD"}));
        assert_eq!(classify(&upload), Expired::Upload { upload_id: "U1".into() });
        let draft = item(json!({"pk": "REG#R1", "sk": "REG", "state": "draft", "licence": {"upload_id": "U2"}}));
        assert_eq!(
            classify(&draft),
            Expired::RegistrationDraft {
                upload_ids: vec!["U2".into()]
            }
        );
        let submitted = item(json!({"pk": "REG#R1", "sk": "REG", "state": "submitted"}));
        assert_eq!(classify(&submitted), Expired::Nothing);
        assert_eq!(classify(&item(json!({"pk": "SESSION#S", "sk": "SESSION"}))), Expired::Nothing);
    }
}
