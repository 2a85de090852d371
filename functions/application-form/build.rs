//! Finds the CJK font the form is set in: `GONGSHI_CJK_FONT`, or WenQuanYi Micro Hei from
//! Debian's `fonts-wqy-microhei` (Apache-2.0 / GPL-3.0 with font exception; see
//! docs/ARCHITECTURE.md). The whole font is embedded; each PDF carries only the subset of
//! glyphs it uses.

fn main() {
    println!("cargo:rerun-if-env-changed=GONGSHI_CJK_FONT");
    let path = std::env::var("GONGSHI_CJK_FONT").unwrap_or_else(|_| "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc".into());
    if !std::path::Path::new(&path).is_file() {
        panic!(
            "the CJK font {path} is missing: install it with `apt-get install fonts-wqy-microhei` (scripts/run and scripts/test do) or set GONGSHI_CJK_FONT"
        );
    }
    println!("cargo:rerun-if-changed={path}");
    println!("cargo:rustc-env=GONGSHI_CJK_FONT_PATH={path}");
}
