//! `DynamoTable`: the `Table` port on DynamoDB. Conditions become condition expressions with
//! placeholder names and values; conditional failures and cancelled transactions become the
//! one `ConditionFailed`.

use crate::table::{
    Condition, Cursor, EXPIRES_AT, Index, Item, Key, PK, Page, Query, SK, SortKey, Table, TableError, Write, check_batch, check_transaction,
};
use async_trait::async_trait;
use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Delete, Put, TransactWriteItem, Update};
use serde_json::{Number, Value};
use std::collections::HashMap;

type Attributes = HashMap<String, AttributeValue>;

/// The single table on DynamoDB.
#[derive(Debug, Clone)]
pub struct DynamoTable {
    client: Client,
    table: String,
}

/// JSON → DynamoDB attribute value.
pub fn to_attribute(value: &Value) -> AttributeValue {
    match value {
        Value::Null => AttributeValue::Null(true),
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(n) => AttributeValue::N(n.to_string()),
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Array(items) => AttributeValue::L(items.iter().map(to_attribute).collect()),
        Value::Object(map) => AttributeValue::M(map.iter().map(|(k, v)| (k.clone(), to_attribute(v))).collect()),
    }
}

/// DynamoDB attribute value → JSON (sets become arrays, binary becomes base64 text).
pub fn from_attribute(value: &AttributeValue) -> Value {
    match value {
        AttributeValue::S(s) => Value::String(s.clone()),
        AttributeValue::N(n) => number(n),
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::L(items) => Value::Array(items.iter().map(from_attribute).collect()),
        AttributeValue::M(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), from_attribute(v))).collect()),
        AttributeValue::Ss(items) => Value::Array(items.iter().cloned().map(Value::String).collect()),
        AttributeValue::Ns(items) => Value::Array(items.iter().map(|n| number(n)).collect()),
        AttributeValue::B(blob) => Value::String(base64::Engine::encode(&base64::engine::general_purpose::STANDARD, blob.as_ref())),
        _ => Value::Null,
    }
}

/// An item image of a DynamoDB stream record (`{"pk": {"S": "…"}, "n": {"N": "1"}}`) as
/// a plain item.
pub fn from_stream_image(image: &serde_json::Map<String, Value>) -> Item {
    image.iter().map(|(k, v)| (k.clone(), from_typed_json(v))).collect()
}

fn from_typed_json(value: &Value) -> Value {
    let Some((kind, inner)) = value.as_object().and_then(|m| m.iter().next()) else {
        return Value::Null;
    };
    match (kind.as_str(), inner) {
        ("S", Value::String(s)) => Value::String(s.clone()),
        ("N", Value::String(n)) => number(n),
        ("BOOL", Value::Bool(b)) => Value::Bool(*b),
        ("L", Value::Array(items)) => Value::Array(items.iter().map(from_typed_json).collect()),
        ("M", Value::Object(map)) => Value::Object(map.iter().map(|(k, v)| (k.clone(), from_typed_json(v))).collect()),
        ("SS" | "BS", Value::Array(items)) => Value::Array(items.clone()),
        ("NS", Value::Array(items)) => Value::Array(items.iter().filter_map(Value::as_str).map(number).collect()),
        ("B", Value::String(b)) => Value::String(b.clone()),
        _ => Value::Null,
    }
}

fn number(text: &str) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        Value::Number(i.into())
    } else if let Ok(u) = text.parse::<u64>() {
        Value::Number(u.into())
    } else {
        text.parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or(Value::Null, Value::Number)
    }
}

fn to_attributes(item: &Item) -> Attributes {
    item.iter().map(|(k, v)| (k.clone(), to_attribute(v))).collect()
}

fn to_item(attributes: &Attributes) -> Item {
    attributes.iter().map(|(k, v)| (k.clone(), from_attribute(v))).collect()
}

fn key_attributes(key: &Key) -> Attributes {
    HashMap::from([
        (PK.to_owned(), AttributeValue::S(key.pk.clone())),
        (SK.to_owned(), AttributeValue::S(key.sk.clone())),
    ])
}

/// An expression with its placeholder names (`#n0`) and values (`:v0`).
#[derive(Debug, Default)]
struct Expression {
    names: HashMap<String, String>,
    values: Attributes,
}

impl Expression {
    fn name(&mut self, attribute: &str) -> String {
        if let Some((placeholder, _)) = self.names.iter().find(|(_, a)| a.as_str() == attribute) {
            return placeholder.clone();
        }
        let placeholder = format!("#n{}", self.names.len());
        self.names.insert(placeholder.clone(), attribute.to_owned());
        placeholder
    }

    fn value(&mut self, value: AttributeValue) -> String {
        let placeholder = format!(":v{}", self.values.len());
        self.values.insert(placeholder.clone(), value);
        placeholder
    }

    /// The condition as an expression, `None` for `Always`.
    fn condition(&mut self, condition: &Condition) -> Option<String> {
        match condition {
            Condition::Always => None,
            Condition::NotExists => Some(format!("attribute_not_exists({})", self.name(PK))),
            Condition::Exists => Some(format!("attribute_exists({})", self.name(PK))),
            Condition::NotExistsOrExpired { now } => {
                let (pk, exp, now) = (self.name(PK), self.name(EXPIRES_AT), self.value(AttributeValue::N(now.to_string())));
                Some(format!("(attribute_not_exists({pk}) OR {exp} < {now})"))
            }
            Condition::Equals { attribute, value } => {
                let (name, value) = (self.name(attribute), self.value(to_attribute(value)));
                Some(format!("{name} = {value}"))
            }
            Condition::And(all) => {
                let parts: Vec<String> = all.iter().filter_map(|c| self.condition(c)).collect();
                (!parts.is_empty()).then(|| format!("({})", parts.join(" AND ")))
            }
        }
    }

    fn names(&self) -> Option<HashMap<String, String>> {
        (!self.names.is_empty()).then(|| self.names.clone())
    }

    fn values(&self) -> Option<Attributes> {
        (!self.values.is_empty()).then(|| self.values.clone())
    }
}

fn failure<E: ProvideErrorMetadata + std::fmt::Debug>(error: &E) -> TableError {
    match error.code() {
        Some("ConditionalCheckFailedException" | "TransactionCanceledException" | "TransactionConflictException") => {
            TableError::ConditionFailed
        }
        Some("ValidationException") => TableError::Invalid(error.message().unwrap_or("validation failed").to_owned()),
        code => TableError::Unavailable(format!(
            "{}: {}",
            code.unwrap_or("unknown"),
            error.message().unwrap_or("no message")
        )),
    }
}

fn built<T, E: std::fmt::Display>(result: Result<T, E>) -> Result<T, TableError> {
    result.map_err(|e| TableError::Invalid(e.to_string()))
}

impl DynamoTable {
    /// A table named `table` through `client`.
    pub fn new(client: Client, table: &str) -> Self {
        Self {
            client,
            table: table.to_owned(),
        }
    }

    fn transact_item(&self, write: &Write) -> Result<TransactWriteItem, TableError> {
        let mut expression = Expression::default();
        let item = match write {
            Write::Put { item, condition } => {
                let condition = expression.condition(condition);
                let put = Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(to_attributes(item)))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(expression.names())
                    .set_expression_attribute_values(expression.values());
                TransactWriteItem::builder().put(built(put.build())?).build()
            }
            Write::Update {
                key,
                set,
                remove,
                condition,
            } => {
                let update_expression = update_expression(&mut expression, set, remove);
                let condition = expression.condition(condition);
                let update = Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_attributes(key)))
                    .update_expression(update_expression)
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(expression.names())
                    .set_expression_attribute_values(expression.values());
                TransactWriteItem::builder().update(built(update.build())?).build()
            }
            Write::Delete { key, condition } => {
                let condition = expression.condition(condition);
                let delete = Delete::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_attributes(key)))
                    .set_condition_expression(condition)
                    .set_expression_attribute_names(expression.names())
                    .set_expression_attribute_values(expression.values());
                TransactWriteItem::builder().delete(built(delete.build())?).build()
            }
            Write::Check { key, condition } => {
                // DynamoDB requires a condition on a check; `Always` checks existence of nothing.
                let condition = expression
                    .condition(condition)
                    .unwrap_or_else(|| "attribute_not_exists(#never)".into());
                if condition.contains("#never") {
                    expression.names.insert("#never".into(), "__never__".into());
                }
                let check = ConditionCheck::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_attributes(key)))
                    .condition_expression(condition)
                    .set_expression_attribute_names(expression.names())
                    .set_expression_attribute_values(expression.values());
                TransactWriteItem::builder().condition_check(built(check.build())?).build()
            }
        };
        Ok(item)
    }
}

fn update_expression(expression: &mut Expression, set: &Item, remove: &[String]) -> String {
    let assignments: Vec<String> = set
        .iter()
        .filter(|(name, _)| name.as_str() != PK && name.as_str() != SK)
        .map(|(name, value)| format!("{} = {}", expression.name(name), expression.value(to_attribute(value))))
        .collect();
    let removals: Vec<String> = remove.iter().map(|name| expression.name(name)).collect();
    let mut parts = Vec::new();
    if !assignments.is_empty() {
        parts.push(format!("SET {}", assignments.join(", ")));
    }
    if !removals.is_empty() {
        parts.push(format!("REMOVE {}", removals.join(", ")));
    }
    parts.join(" ")
}

/// The `ExclusiveStartKey` of a page that continues after `cursor`.
fn start_key(cursor: Option<&Cursor>) -> Option<Attributes> {
    cursor.map(|Cursor(c)| c.iter().map(|(k, v)| (k.clone(), AttributeValue::S(v.clone()))).collect())
}

#[async_trait]
impl Table for DynamoTable {
    async fn get(&self, key: &Key) -> Result<Option<Item>, TableError> {
        let output = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key_attributes(key)))
            .consistent_read(true)
            .send()
            .await
            .map_err(|e| failure(&e))?;
        Ok(output.item().map(to_item))
    }

    async fn get_many(&self, keys: &[Key]) -> Result<Vec<Option<Item>>, TableError> {
        check_batch(keys)?;
        let request = aws_sdk_dynamodb::types::KeysAndAttributes::builder()
            .set_keys(Some(keys.iter().map(key_attributes).collect()))
            .consistent_read(true)
            .build()
            .map_err(|e| TableError::Invalid(e.to_string()))?;
        let mut pending = Some(HashMap::from([(self.table.clone(), request)]));
        let mut found: HashMap<Key, Item> = HashMap::new();
        // DynamoDB may return part of a batch as UnprocessedKeys under load: ask again for them.
        for _ in 0..10 {
            let Some(request) = pending.take() else { break };
            let output = self
                .client
                .batch_get_item()
                .set_request_items(Some(request))
                .send()
                .await
                .map_err(|e| failure(&e))?;
            for attributes in output.responses().and_then(|r| r.get(&self.table)).into_iter().flatten() {
                let item = to_item(attributes);
                found.insert(Key::of(&item)?, item);
            }
            pending = output.unprocessed_keys().filter(|u| !u.is_empty()).cloned();
        }
        if pending.is_some() {
            return Err(TableError::Unavailable("batch read still unprocessed after retries".into()));
        }
        Ok(keys.iter().map(|key| found.remove(key)).collect())
    }

    async fn put(&self, item: Item, condition: Condition) -> Result<(), TableError> {
        Key::of(&item)?;
        let mut expression = Expression::default();
        let condition = expression.condition(&condition);
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(to_attributes(&item)))
            .set_condition_expression(condition)
            .set_expression_attribute_names(expression.names())
            .set_expression_attribute_values(expression.values())
            .send()
            .await
            .map_err(|e| failure(&e))?;
        Ok(())
    }

    async fn delete(&self, key: &Key, condition: Condition) -> Result<(), TableError> {
        let mut expression = Expression::default();
        let condition = expression.condition(&condition);
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_attributes(key)))
            .set_condition_expression(condition)
            .set_expression_attribute_names(expression.names())
            .set_expression_attribute_values(expression.values())
            .send()
            .await
            .map_err(|e| failure(&e))?;
        Ok(())
    }

    async fn scan(&self, sk: &str, after: Option<&Cursor>, limit: usize) -> Result<Page, TableError> {
        let wanted = limit.clamp(1, 1000);
        let mut expression = Expression::default();
        let filter = format!("{} = {}", expression.name(SK), expression.value(AttributeValue::S(sk.to_owned())));
        let mut start: Option<Attributes> = start_key(after);
        let mut items: Vec<Item> = Vec::new();
        // The filter applies after DynamoDB reads a page (up to 1 MB), so pages may hold few
        // matches: keep reading until one more than asked is found or the table ends.
        loop {
            let output = self
                .client
                .scan()
                .table_name(&self.table)
                .filter_expression(&filter)
                .set_expression_attribute_names(expression.names())
                .set_expression_attribute_values(expression.values())
                .consistent_read(true)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| failure(&e))?;
            items.extend(output.items().iter().map(to_item));
            match output.last_evaluated_key() {
                Some(last) if items.len() <= wanted => start = Some(last.clone()),
                _ => break,
            }
        }
        Ok(Page::of(items, wanted, Index::Primary))
    }

    async fn query(&self, query: &Query) -> Result<Page, TableError> {
        let wanted = query.limit.clamp(1, 1000);
        let (pk_name, sk_name) = query.index.attributes();
        let mut expression = Expression::default();
        let mut key_condition = format!(
            "{} = {}",
            expression.name(pk_name),
            expression.value(AttributeValue::S(query.partition.clone()))
        );
        match &query.sort {
            SortKey::Any => {}
            SortKey::BeginsWith(prefix) => {
                let (sk, p) = (expression.name(sk_name), expression.value(AttributeValue::S(prefix.clone())));
                key_condition.push_str(&format!(" AND begins_with({sk}, {p})"));
            }
            SortKey::Between(low, high) => {
                let sk = expression.name(sk_name);
                let (lo, hi) = (
                    expression.value(AttributeValue::S(low.clone())),
                    expression.value(AttributeValue::S(high.clone())),
                );
                key_condition.push_str(&format!(" AND {sk} BETWEEN {lo} AND {hi}"));
            }
        }
        let mut start: Option<Attributes> = start_key(query.after.as_ref());
        let mut items: Vec<Item> = Vec::new();
        // One more than asked tells whether a next page exists; DynamoDB may also stop early
        // at 1 MB, so keep reading until that many are found or the partition ends.
        loop {
            let output = self
                .client
                .query()
                .table_name(&self.table)
                .set_index_name(query.index.name().map(str::to_owned))
                .key_condition_expression(&key_condition)
                .set_expression_attribute_names(expression.names())
                .set_expression_attribute_values(expression.values())
                .scan_index_forward(query.forward)
                .limit((wanted + 1 - items.len()) as i32)
                .set_exclusive_start_key(start.take())
                .send()
                .await
                .map_err(|e| failure(&e))?;
            items.extend(output.items().iter().map(to_item));
            match output.last_evaluated_key() {
                Some(last) if items.len() <= wanted => start = Some(last.clone()),
                _ => break,
            }
        }
        Ok(Page::of(items, wanted, query.index))
    }

    async fn transact(&self, writes: Vec<Write>) -> Result<(), TableError> {
        check_transaction(&writes)?;
        let items = writes.iter().map(|w| self.transact_item(w)).collect::<Result<Vec<_>, _>>()?;
        self.client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
            .map_err(|e| failure(&e))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_round_trips_through_attribute_values() {
        let value = json!({"s": "厦门", "i": -42, "u": 18446744073709551615u64, "f": 1.5, "b": true, "n": null, "l": [1, "x"], "m": {"k": {"d": 2}}});
        assert_eq!(from_attribute(&to_attribute(&value)), value);
    }

    #[test]
    fn stream_images_become_plain_items() {
        let image = json!({"pk": {"S": "UPLOAD#1"}, "expires_at": {"N": "1795700000"}, "ok": {"BOOL": true},
            "licence": {"M": {"upload_id": {"S": "u1"}}}, "items": {"L": [{"S": "锅炉"}]}, "gone": {"NULL": true}});
        let item = from_stream_image(image.as_object().expect("object"));
        assert_eq!(
            Value::Object(item),
            json!({"pk": "UPLOAD#1", "expires_at": 1795700000, "ok": true,
            "licence": {"upload_id": "u1"}, "items": ["锅炉"], "gone": null})
        );
    }

    #[test]
    fn conditions_become_expressions_with_placeholders() {
        let mut e = Expression::default();
        let condition = Condition::And(vec![
            Condition::equals("version", 3),
            Condition::NotExistsOrExpired { now: 100 },
            Condition::Always,
        ]);
        let text = e.condition(&condition).expect("expression");
        assert_eq!(text, "(#n0 = :v0 AND (attribute_not_exists(#n1) OR #n2 < :v1))");
        assert_eq!(e.names.get("#n0").map(String::as_str), Some("version"));
        assert_eq!(e.values.get(":v1"), Some(&AttributeValue::N("100".into())));
        assert!(Expression::default().condition(&Condition::And(vec![])).is_none());
    }

    #[test]
    fn updates_set_and_remove() {
        let mut e = Expression::default();
        let set = json!({"status": "active", "pk": "ignored"})
            .as_object()
            .cloned()
            .unwrap_or_default();
        assert_eq!(update_expression(&mut e, &set, &["expires_at".into()]), "SET #n0 = :v0 REMOVE #n1");
    }
}
