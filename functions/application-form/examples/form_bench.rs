//! Times the application form: `cargo run --release -p fn-application-form --example form_bench [N]`.
//! Prints the median and p95 generation time and the PDF size (used by scripts/bench).

use fn_application_form::pdf::{FormData, render};
use std::time::Instant;

fn sample(n: usize) -> FormData {
    FormData {
        title: "特种设备检验检测人员执业公示申请表".into(),
        reason: None,
        signatures: vec!["执业人本人签字".into(), "单位授权人签字".into(), "单位公章".into()],
        number: format!("SB20261126-BENCH{n:03}"),
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
        items: vec![
            ["GL-1".into(), "锅炉定期检验".into(), "检验员".into(), "2030-06-30".into()],
            ["RQ-1".into(), "压力容器定期检验".into(), "检验员".into(), "2031-06-30".into()],
            ["DT-1".into(), "电梯定期检验".into(), "检验师".into(), "2029-12-31".into()],
        ],
        clause_title: "执业公示承诺书（第 1 版）".into(),
        clauses: vec![
            "本单位承诺所申报人员为本单位正式聘用的检验检测人员，申报信息真实、准确、完整。".into(),
            "本单位承诺所申报人员仅在本单位执业，不存在同时在两个及以上单位执业的情形。".into(),
            "本单位承诺所申报项目在本单位核准/许可的范围内，并对申报人员的执业行为进行管理。".into(),
            "如申报信息不实，本单位愿意承担相应责任，并接受协会的处理。".into(),
        ],
        confirmed: "以上承诺条款已由 xmtjy 于 2026-11-26 17:00 在系统中确认。".into(),
        qr_payload: format!("https://gongshi.example.cn/verify?number=SB20261126-BENCH{n:03}"),
    }
}

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(50);
    let mut times = Vec::with_capacity(runs);
    let mut size = 0;
    for n in 0..runs {
        let data = sample(n);
        let started = Instant::now();
        let bytes = render(&data).expect("render");
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        size = bytes.len();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95 / 100).min(times.len() - 1)];
    println!("pdf_runs={runs} pdf_median_ms={median:.1} pdf_p95_ms={p95:.1} pdf_bytes={size}");
}
