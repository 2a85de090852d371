//! What users upload, and which kinds of file each upload accepts.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The content types users may upload: photos and scans.
pub const ACCEPTED_TYPES: [&str; 3] = ["image/jpeg", "image/png", "application/pdf"];

/// What an upload is for; decides where it may be attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UploadPurpose {
    /// 营业执照 (registration step 2).
    BusinessLicence,
    /// 资质证书扫描件 (registration step 3, the unit's certificates).
    QualificationScan,
    /// 变更证明材料 (information change requests).
    ChangeProof,
    /// 授权委托书 (account appeals).
    AuthorisationLetter,
    /// 离职证明 (a change of unit while the previous publicity is not cancelled).
    ResignationProof,
    /// 签字盖章的申请表扫描件 (a publicity application's signed and stamped form).
    SignedForm,
}

impl UploadPurpose {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Self::BusinessLicence => "营业执照",
            Self::QualificationScan => "资质证书扫描件",
            Self::ChangeProof => "变更证明材料",
            Self::AuthorisationLetter => "授权委托书",
            Self::ResignationProof => "离职证明",
            Self::SignedForm => "签字盖章的申请表",
        }
    }
}

/// A file name as shown back to users: the last path segment, control characters removed,
/// at most 100 characters; `file` when nothing is left.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !crate::text::is_invisible(*c) && !matches!(c, '"' | '<' | '>'))
        .take(100)
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() || trimmed.chars().all(|c| c == '.') {
        "file".into()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_file_name("C:\\Users\\李四\\营业执照.pdf"), "营业执照.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\u{0}b\n.png"), "ab.png");
        assert_eq!(clean_file_name(".."), "file");
        // A right-to-left override would show "\u{202e}gpj.exe.pdf" as "fdp.exe.jpg".
        assert_eq!(clean_file_name("\u{202e}gpj.exe.pdf"), "gpj.exe.pdf");
        assert_eq!(clean_file_name("\u{200b}\u{200b}"), "file");
        assert_eq!(clean_file_name(&"长".repeat(300)).chars().count(), 100);
    }
}
