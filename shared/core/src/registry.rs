//! The practitioner registry's rows (F22): what one line of the import file must hold.

use crate::practice::{CertificateItem, ItemStatus};
use crate::{FieldError, Fields, IdNumber, Invalid, Name};
use time::Date;

/// A row that parsed: the person and one of their certificate items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryRow {
    /// 身份证号.
    pub id_number: IdNumber,
    /// 姓名.
    pub name: Name,
    /// The certificate item.
    pub item: CertificateItem,
}

fn text(fields: &mut Fields, field: &str, raw: &str, max: usize, label: &str) -> Option<String> {
    let value = raw.trim();
    if value.is_empty() || value.chars().count() > max {
        fields.refuse(field, Invalid::new("text_length", format!("{label}不能为空且不超过{max}个字符")));
        return None;
    }
    Some(value.to_owned())
}

fn date(fields: &mut Fields, field: &str, raw: &str, label: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(raw.trim(), format) {
        Ok(d) => Some(d),
        Err(_) => {
            fields.refuse(field, Invalid::new("date_format", format!("{label}应为 YYYY-MM-DD 格式的日期")));
            None
        }
    }
}

/// One registry row (one certificate item of one person) from its columns by name
/// (`id_number`, `name`, `certificate_no`, `item_code`, `item_name`, `level`, `issuer`,
/// `issued_on`, `valid_until`, `status`): every refused column named, in Chinese.
pub fn parse_row(get: &dyn Fn(&str) -> String, today: Date) -> Result<RegistryRow, Vec<FieldError>> {
    let mut fields = Fields::default();
    let id_number = fields.check("id_number", IdNumber::parse(&get("id_number"), today));
    let name = fields.check("name", Name::parse(&get("name")));
    let certificate_no = text(&mut fields, "certificate_no", &get("certificate_no"), 50, "证书编号");
    let code = text(&mut fields, "item_code", &get("item_code"), 20, "项目代号");
    let item_name = text(&mut fields, "item_name", &get("item_name"), 50, "项目名称");
    let level = text(&mut fields, "level", &get("level"), 20, "级别");
    let issuer = text(&mut fields, "issuer", &get("issuer"), 50, "发证机关");
    let issued_on = date(&mut fields, "issued_on", &get("issued_on"), "发证日期");
    let valid_until = date(&mut fields, "valid_until", &get("valid_until"), "有效期至");
    if let (Some(from), Some(until)) = (issued_on, valid_until)
        && until < from
    {
        fields.refuse("valid_until", Invalid::new("date_order", "有效期至不能早于发证日期"));
    }
    let status = match get("status").trim() {
        "" | "valid" | "有效" => Some(ItemStatus::Valid),
        "revoked" | "注销" | "撤销" => Some(ItemStatus::Revoked),
        _ => {
            fields.refuse("status", Invalid::new("status_unknown", "状态应为 valid（有效）或 revoked（注销）"));
            None
        }
    };
    match (
        id_number,
        name,
        certificate_no,
        code,
        item_name,
        level,
        issuer,
        issued_on,
        valid_until,
        status,
    ) {
        (
            Some(id_number),
            Some(name),
            Some(certificate_no),
            Some(code),
            Some(item_name),
            Some(level),
            Some(issuer),
            Some(issued_on),
            Some(valid_until),
            Some(status),
        ) if fields.is_ok() => Ok(RegistryRow {
            id_number,
            name,
            item: CertificateItem {
                certificate_no,
                code,
                name: item_name,
                level,
                issuer,
                issued_on,
                valid_until,
                status,
            },
        }),
        _ => Err(fields.into_errors()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f22_bad_fields_are_named() {
        let today = time::macros::date!(2026 - 11 - 26);
        let row = |name: &str| match name {
            "id_number" => "110105194912310021".into(),
            "valid_until" => "2020-01-01".into(),
            "issued_on" => "2021-01-01".into(),
            "status" => "maybe".into(),
            _ => String::new(),
        };
        let errors = parse_row(&row, today).expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        for expected in ["id_number", "name", "certificate_no", "item_code", "valid_until", "status"] {
            assert!(fields.contains(&expected), "{expected} missing in {fields:?}");
        }
    }
}
