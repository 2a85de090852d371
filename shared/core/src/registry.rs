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

/// What marks the template's example row.
pub const EXAMPLE_MARK: &str = "示例";

fn text(fields: &mut Fields, field: &str, raw: &str, max: usize, label: &str) -> Option<String> {
    let value = raw.trim();
    if value.is_empty() || value.chars().count() > max {
        fields.refuse(field, Invalid::new("text_length", format!("{label}不能为空且不超过{max}个字符")));
        return None;
    }
    Some(value.to_owned())
}

/// A date as typed or as a spreadsheet writes it into a CSV: 2024-01-15, 2024/1/15 (Excel
/// on Chinese Windows), 2024.1.15 or 2024年1月15日.
pub fn parse_date(raw: &str) -> Option<Date> {
    let raw = raw.trim().trim_end_matches('日');
    let parts: Vec<&str> = raw.split(['-', '/', '.', '年', '月']).collect();
    let [y, m, d] = parts[..] else { return None };
    if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return None;
    }
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

fn date(fields: &mut Fields, field: &str, raw: &str, label: &str) -> Option<Date> {
    match parse_date(raw) {
        Some(d) => Some(d),
        None => {
            fields.refuse(field, Invalid::new("date_format", format!("{label}应为 YYYY-MM-DD 格式的日期")));
            None
        }
    }
}

/// One registry row (one certificate item of one person) from its columns by name
/// (`id_number`, `name`, `certificate_no`, `item_code`, `item_name`, `level`, `issuer`,
/// `issued_on`, `valid_until`, `status`): every refused column named, in Chinese.
pub fn parse_row(get: &dyn Fn(&str) -> String, today: Date) -> Result<RegistryRow, Vec<FieldError>> {
    // The template's example row (its name says 示例) never imports.
    if get("name").contains(EXAMPLE_MARK) {
        return Err(vec![FieldError::new(
            "name",
            "example_row",
            "这是模板中的示例行，请删除后填写真实人员再导入",
        )]);
    }
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

    #[test]
    fn f22_dates_are_read_as_excel_writes_them_into_a_csv() {
        let expected = time::macros::date!(2024 - 01 - 15);
        for raw in [
            "2024-01-15",
            "2024/1/15",
            "2024-1-15",
            "2024.01.15",
            "2024年1月15日",
            " 2024/01/15 ",
        ] {
            assert_eq!(parse_date(raw), Some(expected), "{raw}");
        }
        for raw in ["15/01/2024", "2024/13/01", "2024-02-30", "20240115", "24/1/15", ""] {
            assert_eq!(parse_date(raw), None, "{raw}");
        }
    }

    #[test]
    fn f22_the_templates_example_row_never_imports() {
        let today = time::macros::date!(2026 - 11 - 26);
        let row = |name: &str| {
            if name == "name" {
                "张三（示例）".into()
            } else {
                String::new()
            }
        };
        let errors = parse_row(&row, today).expect_err("refused");
        assert_eq!((errors.len(), errors[0].code.as_str()), (1, "example_row"));
    }
}
