// SPDX-License-Identifier: GPL-2.0-only
//! `apctl refusal`, run as a process on report files written by the kernel's own
//! renderer (`ap_matrix::refusal`).

use std::process::Command;

use ap_matrix::id::Apqn;
use ap_matrix::mask::Mask;
use ap_matrix::refusal::{BusMask, Entry, Name, Refusal};

/// A report file in the temporary directory, removed when dropped.
struct ReportFile(std::path::PathBuf);

impl ReportFile {
    fn to_str(&self) -> Option<&str> {
        self.0.to_str()
    }
}

impl Drop for ReportFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn report_file(name: &str, text: &[u8]) -> ReportFile {
    let path = std::env::temp_dir().join(format!("apctl-refusal-{}-{name}", std::process::id()));
    std::fs::write(&path, text).expect("report written");
    ReportFile(path)
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_apctl"))
        .args(args)
        .output()
        .expect("apctl runs");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

fn rendered(r: &Refusal) -> Vec<u8> {
    let mut page = vec![0u8; 4096];
    let n = r.render(&mut page);
    page.truncate(n);
    page
}

fn held(driver: &str, holder: &str, apid: u8, apqi: u8) -> Entry {
    Entry::Held {
        driver: Name::new(driver.as_bytes()),
        holder: Name::new(holder.as_bytes()),
        apqn: Apqn::new(apid, apqi),
    }
}

const A: &str = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";
const B: &str = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb";

#[test]
fn explains_holders_grouped_by_mdev() {
    let mut r = Refusal::new(BusMask::Apmask, Mask::FULL);
    r.push(held("vfio_ap", A, 2, 4));
    r.push(held("vfio_ap", B, 3, 6));
    r.push(held("vfio_ap", A, 2, 5));
    let path = report_file("grouped", &rendered(&r));
    let (code, out, err) = run(&["refusal", "--file", path.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(
        out,
        format!(
            "The last refused write to /sys/bus/ap/apmask asked for {}.\n  mdev {A} holds 02.0004, 02.0005\n  mdev {B} holds 03.0006\n",
            Mask::FULL
        )
    );
}

#[test]
fn a_driver_without_holder_names_and_a_cut_list_are_said() {
    let mut r = Refusal::new(BusMask::Aqmask, Mask::single(8));
    r.push(Entry::Refused {
        driver: Name::new(b"vfio_ap"),
    });
    for q in 0..70u8 {
        r.push(held("other", "x", 1, q));
    }
    let path = report_file("cut", &rendered(&r));
    let (code, out, _) = run(&["refusal", "--file", path.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(out.contains("/sys/bus/ap/aqmask"), "{out}");
    assert!(out.contains("  x (other) holds 01.0000, 01.0001"), "{out}");
    assert!(
        out.contains("  vfio_ap refused without naming holders"),
        "{out}"
    );
    assert!(out.ends_with("  ... and 7 more\n"), "{out}");
}

#[test]
fn raw_prints_the_file_and_empty_means_nothing_refused() {
    let r = Refusal::new(BusMask::Apmask, Mask::EMPTY);
    let text = rendered(&r);
    let path = report_file("raw", &text);
    let (code, out, _) = run(&["refusal", "--raw", "--file", path.to_str().unwrap()]);
    assert_eq!((code, out.as_bytes()), (Some(0), &text[..]));
    let empty = report_file("empty", b"");
    let (code, out, _) = run(&["refusal", "--file", empty.to_str().unwrap()]);
    assert_eq!(code, Some(0));
    assert!(out.contains("has been refused since boot"));
}

#[test]
fn a_missing_attribute_or_a_bad_report_is_an_error() {
    let (code, _, err) = run(&["refusal", "--file", "/nonexistent/last_mask_refusal"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no refusal report in this kernel"), "{err}");
    let bad = report_file("bad", b"write apmask 0x0\nheld only-two\n");
    let (code, _, err) = run(&["refusal", "--file", bad.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(err.contains("line 2"), "{err}");
    let (code, _, _) = run(&["refusal", "--bogus"]);
    assert_eq!(code, Some(2));
}
