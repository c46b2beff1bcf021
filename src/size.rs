//! Sizes in bytes as people write and read them: `--max-upload 20MiB`, "12.4 kB".

/// Parse a size: a number with an optional unit, `k`/`kB`/`KiB`, `M`/`MB`/`MiB`, `G`/`GB`/`GiB` (any case; the
/// binary and decimal spellings both mean powers of 1024, as a file manager shows them), or plain bytes.
pub fn parse(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size such as 20MiB, 512k or 1000000"))?;
    let scale: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown unit {other:?} in {text:?} (use k, M or G)")),
    };
    let bytes = value * scale as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(format!("{text:?} is not a usable size"));
    }
    Ok(bytes as u64)
}

/// A size for people: `512 bytes`, `12.4 kB`, `20 MiB` (whole numbers of a unit are shown without decimals).
pub fn human(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "kB")];
    for (scale, unit) in UNITS {
        if bytes >= scale {
            let value = bytes as f64 / scale as f64;
            return if bytes.is_multiple_of(scale) {
                format!("{} {unit}", bytes / scale)
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    if bytes == 1 { "1 byte".to_string() } else { format!("{bytes} bytes") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_in_the_usual_spellings() {
        assert_eq!(parse("20MiB"), Ok(20 << 20));
        assert_eq!(parse("20 M"), Ok(20 << 20));
        assert_eq!(parse("512k"), Ok(512 << 10));
        assert_eq!(parse("1.5GB"), Ok(3 << 29));
        assert_eq!(parse("1000000"), Ok(1_000_000));
        assert!(parse("lots").is_err());
        assert!(parse("10 parsecs").is_err());
        assert!(parse("0").is_err());
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human(1), "1 byte");
        assert_eq!(human(900), "900 bytes");
        assert_eq!(human(12_700), "12.4 kB");
        assert_eq!(human(20 << 20), "20 MiB");
        assert_eq!(human((3 << 20) + (1 << 19)), "3.5 MiB");
    }
}
