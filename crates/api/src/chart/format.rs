//! How numbers read on a chart: money as `$1.2B`, `$15.03`, `$133/kW-mo`;
//! fractions as `12.9%`; counts as `280M`.

/// Thousands, millions, billions and trillions, largest first.
const SCALES: [(f64, &str); 4] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")];

/// `text` without trailing zeros after a decimal point, nor the point.
fn trimmed(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// A magnitude below 1,000 to three significant digits: `133`, `95.5`,
/// `1.25`.
fn three_digits(x: f64) -> String {
    let decimals = if x >= 99.95 {
        0
    } else if x >= 9.995 {
        1
    } else {
        2
    };
    trimmed(format!("{x:.decimals$}"))
}

/// A non-negative magnitude to three significant digits with a scale
/// suffix: `1.2B`, `280M`, `90k`, `15`.
fn compact(x: f64) -> String {
    for (scale, suffix) in SCALES {
        // A value that rounds up to the next scale takes that scale's
        // suffix: 999.96M is `1B`, not `1000M`.
        if x >= scale * 0.99995 {
            return format!("{}{suffix}", three_digits(x / scale));
        }
    }
    three_digits(x)
}

fn sign(v: f64) -> &'static str {
    if v < 0.0 {
        "-"
    } else {
        ""
    }
}

/// USD: compact from $1,000 (`$1.2B`, `-$600M`, `$90k`), else to the cent
/// (`$15.03`), whole dollars without cents (`$20`).
pub(super) fn money(v: f64) -> String {
    let a = v.abs();
    if a < 0.005 {
        return "$0".to_owned();
    }
    if a >= 999.995 {
        format!("{}${}", sign(v), compact(a))
    } else if (a - a.round()).abs() < 0.005 {
        format!("{}${a:.0}", sign(v))
    } else {
        format!("{}${a:.2}", sign(v))
    }
}

/// USD to three significant digits at any size: `$133`, `$95.5`, `$10M`;
/// for rates per unit.
pub(super) fn money_rate(v: f64) -> String {
    format!("{}${}", sign(v), compact(v.abs()))
}

/// USD per kW-month: `$133/kW-mo`.
pub(super) fn per_kw_month(v: f64) -> String {
    format!("{}/kW-mo", money_rate(v))
}

/// USD per MW: `$10M/MW`.
pub(super) fn per_mw(v: f64) -> String {
    format!("{}/MW", money_rate(v))
}

/// USD per MWh: `$45/MWh`.
pub(super) fn per_mwh(v: f64) -> String {
    format!("{}/MWh", money_rate(v))
}

/// A decimal fraction as a percentage to one decimal: `0.1289` is
/// `12.9%`, `0.6` is `60%`.
pub(super) fn percent(fraction: f64) -> String {
    format!("{}%", trimmed(format!("{:.1}", fraction * 100.0)))
}

/// A decimal fraction in basis points: `0.05` is `500 bp`.
pub(super) fn basis_points(fraction: f64) -> String {
    format!("{:.0} bp", fraction * 1e4)
}

/// A count to three significant digits: `280M`, `60M`, `1.15B`, `625`.
pub(super) fn count(v: f64) -> String {
    format!("{}{}", sign(v), compact(v.abs()))
}

/// A whole number with thousands separators: `1,000`.
pub(super) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number to at most `decimals` decimals, trailing zeros dropped, with
/// thousands separators: `8.25`, `1,070`.
pub(super) fn decimal(v: f64, decimals: usize) -> String {
    let text = trimmed(format!("{:.decimals$}", v.abs()));
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let whole = grouped(whole.parse().unwrap_or_default());
    let sign = if text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        sign(v)
    } else {
        ""
    };
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

/// USD per share, always to the cent: `$8.03`, `$2.00`.
pub(super) fn per_share(v: f64) -> String {
    let a = v.abs();
    if a >= 999.995 {
        money(v)
    } else {
        format!("{}${a:.2}", if a >= 0.005 { sign(v) } else { "" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_compact_from_a_thousand_dollars_and_to_the_cent_below() {
        assert_eq!(money(1_234_567_890.0), "$1.23B");
        assert_eq!(money(1_200_000_000.0), "$1.2B");
        assert_eq!(money(-600_000_000.0), "-$600M");
        assert_eq!(money(90_000.0), "$90k");
        assert_eq!(money(15.03), "$15.03");
        assert_eq!(money(8.5), "$8.50");
        assert_eq!(money(20.0), "$20");
        assert_eq!(money(-0.001), "$0");
        // 999.96M rounds to the next scale rather than reading `$1000M`.
        assert_eq!(money(999_960_000.0), "$1B");
        assert_eq!(money(2.5e12), "$2.5T");
    }

    #[test]
    fn rates_read_per_unit_to_three_significant_digits() {
        assert_eq!(per_kw_month(133.33), "$133/kW-mo");
        assert_eq!(per_kw_month(95.5), "$95.5/kW-mo");
        assert_eq!(per_mw(10_000_000.0), "$10M/MW");
        assert_eq!(per_mwh(45.0), "$45/MWh");
    }

    #[test]
    fn fractions_read_as_percentages_or_basis_points() {
        assert_eq!(percent(0.128_934_66), "12.9%");
        assert_eq!(percent(0.6), "60%");
        assert_eq!(percent(-0.109_305), "-10.9%");
        assert_eq!(basis_points(0.05), "500 bp");
    }

    #[test]
    fn counts_are_compact_and_whole_numbers_grouped() {
        assert_eq!(count(280_000_000.0), "280M");
        assert_eq!(count(60_010_680.0), "60M");
        assert_eq!(count(1_150_000_000.0), "1.15B");
        assert_eq!(count(625.22), "625");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(20_000_000), "20,000,000");
        assert_eq!(grouped(999), "999");
        assert_eq!(decimal(8.250, 2), "8.25");
        assert_eq!(decimal(1_070.0, 1), "1,070");
        assert_eq!(decimal(-12_816.4, 0), "-12,816");
        assert_eq!(decimal(-0.0001, 2), "0");
        assert_eq!(per_share(2.0), "$2.00");
        assert_eq!(per_share(-4.6112), "-$4.61");
    }
}
