//! Kubernetes resource quantities (`250m`, `1.5`, `128Gi`, `1e3`, `2k`) as milli-units.
//!
//! Every amount inside kubectl-fleet is an `i64` count of milli-units: `cpu: "250m"` → 250,
//! `memory: "1Gi"` → 1_073_741_824_000, `nvidia.com/gpu: "1"` → 1000. Parsing rounds a
//! fractional milli-unit up (like `Quantity.MilliValue()` in apimachinery), so a request is
//! never under-counted.

use thiserror::Error;

/// A quantity string that is not a valid Kubernetes quantity or does not fit in `i64` milli-units.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QuantityError {
    /// The text does not follow the quantity grammar.
    #[error("invalid quantity {value:?}: {why}")]
    Invalid { value: String, why: &'static str },
    /// The value is too large for `i64` milli-units.
    #[error("quantity {value:?} is out of range")]
    OutOfRange { value: String },
}

const MILLI_PER_UNIT: i64 = 1000;
/// Bytes in one mebibyte.
pub const MI: i64 = 1 << 20;
/// Bytes in one gibibyte.
pub const GI: i64 = 1 << 30;

/// Parses a Kubernetes quantity into milli-units (rounding up to a whole milli-unit).
///
/// Grammar (apimachinery `resource.Quantity`): optional sign, digits with an optional decimal
/// point, then an optional suffix: binary `Ki Mi Gi Ti Pi Ei`, decimal SI `n u m k M G T P E`,
/// or a decimal exponent `e3` / `E-2`.
pub fn parse_quantity(text: &str) -> Result<i64, QuantityError> {
    let invalid = |why| QuantityError::Invalid {
        value: text.to_string(),
        why,
    };
    let s = text.trim();
    if s.is_empty() {
        return Err(invalid("empty"));
    }
    let bytes = s.as_bytes();
    let mut i = 0;
    let negative = match bytes[0] {
        b'-' => {
            i = 1;
            true
        }
        b'+' => {
            i = 1;
            false
        }
        _ => false,
    };
    // Mantissa: digits [. digits]
    let mut mantissa: i128 = 0;
    let mut frac_digits: i32 = 0;
    let mut digits = 0;
    let mut seen_point = false;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_digit() {
            digits += 1;
            // Leading zeros do not count against precision; cap significant digits.
            if mantissa > 10i128.pow(30) {
                return Err(QuantityError::OutOfRange {
                    value: text.to_string(),
                });
            }
            mantissa = mantissa * 10 + i128::from(c - b'0');
            if seen_point {
                frac_digits += 1;
            }
        } else if c == b'.' && !seen_point {
            seen_point = true;
        } else {
            break;
        }
        i += 1;
    }
    if digits == 0 {
        return Err(invalid("no digits"));
    }
    let suffix = &s[i..];
    // (power of ten, power of two)
    let (exp10, exp2): (i32, u32) = match suffix {
        "" => (0, 0),
        "n" => (-9, 0),
        "u" => (-6, 0),
        "m" => (-3, 0),
        "k" => (3, 0),
        "M" => (6, 0),
        "G" => (9, 0),
        "T" => (12, 0),
        "P" => (15, 0),
        "E" => (18, 0),
        "Ki" => (0, 10),
        "Mi" => (0, 20),
        "Gi" => (0, 30),
        "Ti" => (0, 40),
        "Pi" => (0, 50),
        "Ei" => (0, 60),
        _ if suffix.starts_with(['e', 'E']) => {
            let exp = &suffix[1..];
            let body = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if body.is_empty() || !body.bytes().all(|b| b.is_ascii_digit()) || body.len() > 4 {
                return Err(invalid("bad exponent"));
            }
            let e: i32 = exp.parse().map_err(|_| invalid("bad exponent"))?;
            (e, 0)
        }
        _ => return Err(invalid("unknown suffix")),
    };
    // milli = mantissa * 2^exp2 * 10^(exp10 + 3 - frac_digits), rounded up.
    let out_of_range = || QuantityError::OutOfRange {
        value: text.to_string(),
    };
    let mut value = mantissa
        .checked_mul(1i128 << exp2)
        .ok_or_else(out_of_range)?;
    let d = exp10 + 3 - frac_digits;
    if d >= 0 {
        if d > 38 {
            if value != 0 {
                return Err(out_of_range());
            }
        } else {
            value = value
                .checked_mul(10i128.pow(d as u32))
                .ok_or_else(out_of_range)?;
        }
    } else {
        let div = -d;
        if div > 38 {
            value = i128::from(value != 0);
        } else {
            let p = 10i128.pow(div as u32);
            // Round toward +infinity on the magnitude before applying the sign only for
            // positive values; negative values round toward zero (also toward +infinity).
            value = if negative {
                value / p
            } else {
                (value + p - 1) / p
            };
        }
    }
    let value = if negative { -value } else { value };
    i64::try_from(value).map_err(|_| out_of_range())
}

/// Formats a CPU amount: whole cores as `2`, otherwise milli-cores as `250m`.
pub fn format_cpu(milli: i64) -> String {
    if milli % MILLI_PER_UNIT == 0 {
        (milli / MILLI_PER_UNIT).to_string()
    } else {
        format!("{milli}m")
    }
}

/// Formats a byte amount: `Gi` or `Mi` when exact, else plain bytes (`m` when fractional).
pub fn format_memory(milli: i64) -> String {
    if milli % MILLI_PER_UNIT != 0 {
        return format!("{milli}m");
    }
    let bytes = milli / MILLI_PER_UNIT;
    if bytes != 0 && bytes % GI == 0 {
        format!("{}Gi", bytes / GI)
    } else if bytes != 0 && bytes % MI == 0 {
        format!("{}Mi", bytes / MI)
    } else {
        bytes.to_string()
    }
}

/// Formats a plain count (pods, `nvidia.com/gpu`, other extended resources): `1` or `500m`.
pub fn format_count(milli: i64) -> String {
    format_cpu(milli)
}

/// Formats an amount of the named resource the way a user would write it.
pub fn format_quantity(resource: &str, milli: i64) -> String {
    if is_byte_resource(resource) {
        format_memory(milli)
    } else {
        format_cpu(milli)
    }
}

/// Whether a resource is measured in bytes (memory, storage, hugepages).
pub fn is_byte_resource(resource: &str) -> bool {
    matches!(resource, "memory" | "ephemeral-storage" | "storage")
        || resource.starts_with("hugepages-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_plain_and_milli_cpu() {
        assert_eq!(parse_quantity("250m"), Ok(250));
        assert_eq!(parse_quantity("1"), Ok(1000));
        assert_eq!(parse_quantity("1.5"), Ok(1500));
        assert_eq!(parse_quantity("0.1"), Ok(100));
        assert_eq!(parse_quantity(".5"), Ok(500));
        assert_eq!(parse_quantity("0"), Ok(0));
    }

    #[test]
    fn parses_binary_suffixes() {
        assert_eq!(parse_quantity("128Gi"), Ok(128 * GI * 1000));
        assert_eq!(parse_quantity("500Mi"), Ok(500 * MI * 1000));
        assert_eq!(parse_quantity("1Ki"), Ok(1024 * 1000));
        assert_eq!(parse_quantity("1.5Gi"), Ok(3 * GI / 2 * 1000));
    }

    #[test]
    fn parses_decimal_si_suffixes_and_exponents() {
        assert_eq!(parse_quantity("2k"), Ok(2_000_000));
        assert_eq!(parse_quantity("1G"), Ok(1_000_000_000_000));
        assert_eq!(parse_quantity("100M"), Ok(100_000_000_000));
        assert_eq!(parse_quantity("1e3"), Ok(1_000_000));
        assert_eq!(parse_quantity("1E3"), Ok(1_000_000));
        assert_eq!(parse_quantity("5e-3"), Ok(5));
        assert_eq!(parse_quantity("1P"), Ok(1_000_000_000_000_000_000));
        assert!(
            parse_quantity("1E").is_err(),
            "10^21 milli does not fit i64"
        );
    }

    #[test]
    fn rounds_sub_milli_values_up() {
        assert_eq!(parse_quantity("1n"), Ok(1));
        assert_eq!(parse_quantity("1500u"), Ok(2));
        assert_eq!(parse_quantity("0.0001"), Ok(1));
        assert_eq!(parse_quantity("-1"), Ok(-1000));
    }

    #[test]
    fn errors_name_the_bad_value() {
        let err = parse_quantity("12x").unwrap_err();
        assert_eq!(err.to_string(), "invalid quantity \"12x\": unknown suffix");
        assert!(parse_quantity("").is_err());
        assert!(parse_quantity("Gi").is_err());
        assert!(parse_quantity("1..2").is_err());
        assert!(parse_quantity("1e").is_err());
        let big = parse_quantity("100Ei").unwrap_err();
        assert!(big.to_string().contains("\"100Ei\""), "{big}");
    }

    #[test]
    fn formats_cpu_memory_and_counts() {
        assert_eq!(format_cpu(250), "250m");
        assert_eq!(format_cpu(2000), "2");
        assert_eq!(format_memory(128 * GI * 1000), "128Gi");
        assert_eq!(format_memory(500 * MI * 1000), "500Mi");
        assert_eq!(format_memory(1_000_000), "1000");
        assert_eq!(format_quantity("nvidia.com/gpu", 1000), "1");
        assert_eq!(format_quantity("memory", 0), "0");
        for q in ["250m", "2", "128Gi", "500Mi", "1000"] {
            let res = if q.ends_with('i') || q == "1000" {
                "memory"
            } else {
                "cpu"
            };
            assert_eq!(format_quantity(res, parse_quantity(q).unwrap()), q);
        }
    }
}
