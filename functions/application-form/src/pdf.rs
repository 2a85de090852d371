//! The 执业公示申请表 as a PDF: A4, Chinese text in an embedded CJK font (subset to the glyphs
//! used), a QR code to the public verification page, and boxes for signatures and the seal.
//! Pure: data in, bytes out.

use krilla::Document;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use qrcode::{Color, EcLevel, QrCode};

/// The embedded font (see build.rs).
static FONT: &[u8] = include_bytes!(env!("GONGSHI_CJK_FONT_PATH"));

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const LEFT: f32 = 50.0;
const RIGHT: f32 = WIDTH - 50.0;

/// Everything printed on the form.
#[derive(Debug, Clone)]
pub struct FormData {
    /// The heading.
    pub title: String,
    /// 注销原因, for a cancellation form.
    pub reason: Option<String>,
    /// The signature and seal boxes.
    pub signatures: Vec<String>,
    /// 申报单号.
    pub number: String,
    /// 初始/变更/续期.
    pub kind_label: String,
    /// Created, as shown (China time).
    pub created: String,
    /// The deadline, as shown.
    pub deadline: String,
    /// How long the practitioner's confirmation code is valid, as shown (from the configured
    /// period, e.g. "24小时").
    pub code_validity: String,
    /// Unit name, USCC, address.
    pub unit_name: String,
    /// 统一社会信用代码.
    pub uscc: String,
    /// 单位地址.
    pub address: String,
    /// 授权联系人 (name and masked mobile).
    pub contact: String,
    /// 执业人姓名.
    pub person_name: String,
    /// 身份证号, in full: the person signs the form.
    pub id_number: String,
    /// Mobile, masked.
    pub mobile: String,
    /// Items: code, name, level, valid until.
    pub items: Vec<[String; 4]>,
    /// Clause title and version.
    pub clause_title: String,
    /// The clauses.
    pub clauses: Vec<String>,
    /// Who confirmed the clauses and when.
    pub confirmed: String,
    /// What the QR code holds: the public verification URL.
    pub qr_payload: String,
}

struct Pen<'a> {
    surface: Surface<'a>,
    font: Font,
    y: f32,
}

impl Pen<'_> {
    fn finish(self) {
        self.surface.finish();
    }

    fn text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.surface.draw_text(
            Point::from_xy(x, y),
            self.font.clone(),
            size,
            text,
            false,
            TextDirection::LeftToRight,
        );
    }

    fn line(&mut self, size: f32, text: &str) {
        self.y += size * 1.7;
        let y = self.y;
        self.text(LEFT, y, size, text);
    }

    /// Text wrapped to the page width (CJK characters count as one em, others as half).
    fn paragraph(&mut self, size: f32, indent: f32, text: &str) {
        let room = (RIGHT - LEFT - indent) / size;
        let mut current = String::new();
        let mut width = 0.0;
        for c in text.chars() {
            let w = if c.is_ascii() { 0.55 } else { 1.0 };
            if width + w > room {
                self.y += size * 1.6;
                let y = self.y;
                self.text(LEFT + indent, y, size, &current);
                current.clear();
                width = 0.0;
            }
            current.push(c);
            width += w;
        }
        if !current.is_empty() {
            self.y += size * 1.6;
            let y = self.y;
            self.text(LEFT + indent, y, size, &current);
        }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let mut builder = PathBuilder::new();
        if let Some(rect) = Rect::from_xywh(x, y, w, h) {
            builder.push_rect(rect);
        }
        if let Some(path) = builder.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                width: 0.8,
                ..Stroke::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
            self.surface.set_fill(Some(Fill::default()));
        }
    }

    fn rule(&mut self) {
        self.y += 8.0;
        let y = self.y;
        let mut builder = PathBuilder::new();
        builder.move_to(LEFT, y);
        builder.line_to(RIGHT, y);
        if let Some(path) = builder.finish() {
            self.surface.set_fill(None);
            self.surface.set_stroke(Some(Stroke {
                width: 0.5,
                ..Stroke::default()
            }));
            self.surface.draw_path(&path);
            self.surface.set_stroke(None);
            self.surface.set_fill(Some(Fill::default()));
        }
    }

    fn qr(&mut self, payload: &str, x: f32, y: f32, size: f32) -> Result<(), String> {
        let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M).map_err(|e| e.to_string())?;
        let modules = code.width();
        let colors = code.to_colors();
        let cell = size / modules as f32;
        let mut builder = PathBuilder::new();
        for (i, color) in colors.iter().enumerate() {
            if *color == Color::Dark
                && let Some(rect) = Rect::from_xywh(x + (i % modules) as f32 * cell, y + (i / modules) as f32 * cell, cell, cell)
            {
                builder.push_rect(rect);
            }
        }
        if let Some(path) = builder.finish() {
            self.surface.set_fill(Some(Fill::default()));
            self.surface.draw_path(&path);
        }
        Ok(())
    }
}

/// Renders the form.
pub fn render(form: &FormData) -> Result<Vec<u8>, String> {
    let font = Font::new(FONT.into(), 0).ok_or("the embedded font cannot be read")?;
    let mut document = Document::new();
    // The document's title is the form's own (a cancellation's names 注销申请表).
    document.set_metadata(krilla::metadata::Metadata::new().title(format!("{} {}", form.title, form.number)));
    let mut page = document.start_page_with(PageSettings::from_wh(WIDTH, HEIGHT).ok_or("page size")?);
    let mut pen = Pen {
        surface: page.surface(),
        font,
        y: 40.0,
    };
    draw(&mut pen, form)?;
    pen.finish();
    page.finish();
    document.finish().map_err(|e| format!("{e:?}"))
}

fn draw(pen: &mut Pen, form: &FormData) -> Result<(), String> {
    // The QR code sits top right with a quiet zone; text starts left of it.
    pen.qr(&form.qr_payload, RIGHT - 80.0, 40.0, 80.0)?;
    pen.text(RIGHT - 76.0, 134.0, 8.0, "扫码核验申请表");
    pen.line(18.0, &form.title);
    pen.line(10.5, &format!("申报单号：{}", form.number));
    pen.line(10.5, &format!("公示类型：{}    创建时间：{}", form.kind_label, form.created));
    pen.line(10.5, &format!("办理期限：{} 前", form.deadline));
    pen.y = pen.y.max(140.0);
    pen.rule();

    pen.line(12.5, "一、执业单位");
    pen.line(10.5, &format!("单位名称：{}", form.unit_name));
    pen.line(10.5, &format!("统一社会信用代码：{}", form.uscc));
    pen.paragraph(10.5, 0.0, &format!("单位地址：{}", form.address));
    pen.line(10.5, &format!("执业公示授权联系人：{}", form.contact));
    pen.rule();

    pen.line(12.5, "二、执业人员");
    pen.line(10.5, &format!("姓名：{}    身份证号：{}", form.person_name, form.id_number));
    pen.line(10.5, &format!("登记手机号：{}", form.mobile));
    pen.rule();

    if let Some(reason) = &form.reason {
        pen.paragraph(10.5, 0.0, &format!("注销原因：{reason}"));
        pen.rule();
    }
    pen.line(
        12.5,
        if form.reason.is_some() {
            "三、注销的公示项目"
        } else {
            "三、申请公示项目"
        },
    );
    let columns = [LEFT, LEFT + 90.0, LEFT + 270.0, LEFT + 370.0];
    pen.y += 18.0;
    let header_y = pen.y;
    for (x, label) in columns.iter().zip(["项目代号", "项目名称", "级别", "有效期至"]) {
        pen.text(*x, header_y, 10.0, label);
    }
    for item in &form.items {
        pen.y += 16.0;
        let y = pen.y;
        for (x, value) in columns.iter().zip(item.iter()) {
            pen.text(*x, y, 10.0, value);
        }
    }
    pen.rule();

    if !form.clauses.is_empty() {
        pen.line(12.5, &format!("四、{}", form.clause_title));
        for (i, clause) in form.clauses.iter().enumerate() {
            pen.paragraph(10.0, 10.0, &format!("{}. {}", i + 1, clause));
        }
        pen.line(9.0, &form.confirmed);
        pen.rule();
    }

    pen.line(
        12.5,
        if form.clauses.is_empty() {
            "四、签字盖章"
        } else {
            "五、签字盖章"
        },
    );
    pen.y += 12.0;
    let boxes_top = pen.y;
    let count = form.signatures.len().max(1) as f32;
    let box_width = (RIGHT - LEFT - 10.0 * (count - 1.0)) / count;
    for (i, label) in form.signatures.iter().enumerate() {
        let x = LEFT + i as f32 * (box_width + 10.0);
        pen.rect(x, boxes_top, box_width, 95.0);
        pen.text(x + 8.0, boxes_top + 16.0, 10.0, label);
        pen.text(x + 8.0, boxes_top + 86.0, 9.0, "日期：    年    月    日");
    }
    pen.y = boxes_top + 95.0;
    pen.y += 10.0;
    pen.paragraph(
        9.0,
        0.0,
        &format!(
            "说明：请于 {} 前{}",
            form.deadline,
            if form.reason.is_some() {
                "由单位授权人签字并加盖单位公章，拍照或扫描后在系统中上传，注销申请进入审核。逾期未完成的，申请自动作废，需重新申请。".to_owned()
            } else {
                format!(
                    "由执业人本人、单位授权人签字并加盖单位公章，拍照或扫描后在系统中上传；执业人收到确认短信（{}内有效）并确认后，申报单进入审核。逾期未完成的，申报单自动作废（不通过），需重新申报。",
                    form.code_validity
                )
            }
        ),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FormData {
        FormData {
            title: "特种设备检验检测人员执业公示申请表".into(),
            reason: None,
            signatures: vec!["执业人本人签字".into(), "单位授权人签字".into(), "单位公章".into()],
            number: "SB20261126-7K3Q9X2M".into(),
            kind_label: "初始".into(),
            created: "2026-11-26 17:00".into(),
            deadline: "2026-12-03 17:00".into(),
            code_validity: "24小时".into(),
            unit_name: "厦门市特种设备检验检测院".into(),
            uscc: "91350100M000100Y43".into(),
            address: "福建省厦门市湖里区华泰路1号".into(),
            contact: "李四（手机 138****8000）".into(),
            person_name: "王五".into(),
            id_number: "11010519491231002X".into(),
            mobile: "139****0001".into(),
            items: vec![["GL-1".into(), "锅炉定期检验".into(), "检验员".into(), "2030-06-30".into()]],
            clause_title: "执业公示承诺书（第 1 版）".into(),
            clauses: vec!["本单位承诺所申报人员为本单位正式聘用的检验检测人员，申报信息真实、准确、完整。".repeat(2)],
            confirmed: "以上承诺条款已由 xmtjy 于 2026-11-26 17:00 在系统中确认。".into(),
            qr_payload: "https://gongshi.example/verify?number=SB20261126-7K3Q9X2M".into(),
        }
    }

    #[test]
    fn f13_form_embeds_only_the_glyphs_it_uses() {
        let bytes = render(&sample()).expect("present");
        assert!(bytes.starts_with(b"%PDF-"));
        assert!(bytes.len() < 300_000, "the font is subset: {} bytes", bytes.len());
        if let Ok(dir) = std::env::var("GONGSHI_FORM_SAMPLE_DIR") {
            std::fs::write(std::path::Path::new(&dir).join("form-sample.pdf"), &bytes).expect("present");
        }
    }

    #[test]
    fn f18_a_cancellation_forms_document_title_names_the_cancellation() {
        let mut form = sample();
        form.title = "特种设备检验检测人员执业公示注销申请表".into();
        let bytes = render(&form).expect("rendered");
        let dir = tempfile_dir();
        let path = dir.join("cancellation.pdf");
        std::fs::write(&path, &bytes).expect("written");
        let info = std::process::Command::new("pdfinfo").arg(&path).output();
        let Ok(info) = info else {
            panic!("pdfinfo (poppler-utils) is needed by this test");
        };
        let info = String::from_utf8_lossy(&info.stdout);
        let title = info.lines().find(|l| l.starts_with("Title:")).unwrap_or_default();
        assert!(
            title.contains("特种设备检验检测人员执业公示注销申请表 SB20261126-7K3Q9X2M"),
            "{info}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("gongshi-form-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }
}
