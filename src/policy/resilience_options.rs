//! Validation of the resilience options: a client's `breaker`, `retryBudget` and `rateLimit`,
//! and a call's (or a request's) `hedge`. Each duration is in ms; `false` turns a feature off.

use super::breaker::BreakerConfig;
use super::budget::BudgetConfig;
use super::hedge::HedgeConfig;
use super::raw::{FieldPath, InputError, Raw};

/// The fields of `breaker`.
pub const BREAKER_FIELDS: &[&str] = &[
    "failureRatio",
    "minimumThroughput",
    "window",
    "breakDuration",
];
/// The fields of `retryBudget`.
pub const BUDGET_FIELDS: &[&str] = &["ratio", "minPerSecond", "window"];
/// The fields of `hedge`.
pub const HEDGE_FIELDS: &[&str] = &["delay", "max"];

/// The longest window or break a timer can measure, in ms.
const MAX_MS: f64 = 2_147_483_647.0;

fn object<'a>(
    path: &FieldPath,
    raw: &'a Raw,
    known: &[&str],
    what: &str,
) -> Result<Option<&'a Raw>, InputError> {
    match raw {
        Raw::Undefined | Raw::Bool(false) => Ok(None),
        Raw::Object(_) => {
            super::validate::known_fields(path, raw, known)?;
            Ok(Some(raw))
        }
        other => Err(InputError::wrong_type(path, what, other)),
    }
}

/// A number in `low..=high` (`low` excluded when `open_low`).
fn number_in(
    path: &FieldPath,
    raw: &Raw,
    low: f64,
    high: f64,
    open_low: bool,
    expected: &str,
) -> Result<f64, InputError> {
    match raw {
        Raw::Number(n) if (if open_low { *n > low } else { *n >= low }) && *n <= high => Ok(*n),
        Raw::Number(_) => Err(InputError::out_of_range(path, expected, raw)),
        other => Err(InputError::wrong_type(path, "a number", other)),
    }
}

/// A window: more than 0 ms and within a timer's range.
fn window(path: &FieldPath, raw: &Raw) -> Result<f64, InputError> {
    let expected = "more than 0 and at most 2147483647 milliseconds";
    number_in(path, raw, 0.0, MAX_MS, true, expected)
}

fn whole(path: &FieldPath, raw: &Raw, low: f64, expected: &str) -> Result<u32, InputError> {
    let n = number_in(path, raw, low, f64::from(u32::MAX), false, expected)?;
    if n.fract() != 0.0 {
        return Err(InputError::out_of_range(path, expected, raw));
    }
    Ok(n as u32)
}

/// `breaker`: off unless given.
pub fn breaker(path: &FieldPath, raw: &Raw) -> Result<Option<BreakerConfig>, InputError> {
    let Some(raw) = object(path, raw, BREAKER_FIELDS, "false or an object")? else {
        return Ok(None);
    };
    let mut c = BreakerConfig::default();
    let field = |k| (path.key(k), raw.get(k));
    let (p, v) = field("failureRatio");
    if !v.is_undefined() {
        c.failure_ratio = number_in(&p, v, 0.0, 1.0, true, "a number above 0 and at most 1")?;
    }
    let (p, v) = field("minimumThroughput");
    if !v.is_undefined() {
        c.minimum_throughput = whole(&p, v, 1.0, "a whole number of at least 1")?;
    }
    let (p, v) = field("window");
    if !v.is_undefined() {
        c.window_ms = window(&p, v)?;
    }
    let (p, v) = field("breakDuration");
    if !v.is_undefined() {
        c.break_duration_ms = number_in(
            &p,
            v,
            0.0,
            MAX_MS,
            false,
            "from 0 to 2147483647 milliseconds",
        )?;
    }
    Ok(Some(c))
}

/// `retryBudget`: on by default, off with `false`.
pub fn retry_budget(
    path: &FieldPath,
    raw: &Raw,
    base: Option<BudgetConfig>,
) -> Result<Option<BudgetConfig>, InputError> {
    if raw.is_undefined() {
        return Ok(base);
    }
    let Some(raw) = object(path, raw, BUDGET_FIELDS, "false or an object")? else {
        return Ok(None);
    };
    let mut c = base.unwrap_or_default();
    let field = |k| (path.key(k), raw.get(k));
    let (p, v) = field("ratio");
    if !v.is_undefined() {
        c.ratio = number_in(&p, v, 0.0, 1000.0, false, "a number from 0 to 1000")?;
    }
    let (p, v) = field("minPerSecond");
    if !v.is_undefined() {
        c.min_per_second = number_in(&p, v, 0.0, 1e6, false, "a number from 0 to 1000000")?;
    }
    let (p, v) = field("window");
    if !v.is_undefined() {
        c.window_ms = window(&p, v)?;
    }
    Ok(Some(c))
}

/// `hedge`: off unless given; `delay` is required.
pub fn hedge(path: &FieldPath, raw: &Raw) -> Result<Option<HedgeConfig>, InputError> {
    let Some(raw) = object(path, raw, HEDGE_FIELDS, "false or an object with a delay")? else {
        return Ok(None);
    };
    let delay = match raw.get("delay") {
        Raw::Undefined => return Err(InputError::type_error_at(path, &[".delay is required"])),
        v => number_in(
            &path.key("delay"),
            v,
            0.0,
            MAX_MS,
            false,
            "from 0 to 2147483647 milliseconds",
        )?,
    };
    let mut c = HedgeConfig::new(delay);
    let v = raw.get("max");
    if !v.is_undefined() {
        c.max = whole(&path.key("max"), v, 1.0, "a whole number of at least 1")?;
    }
    Ok(Some(c))
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::policy::raw::test_object as obj;

    #[test]
    fn each_option_is_off_with_false_and_checked_field_by_field() {
        let root = FieldPath::Root("client");
        assert_eq!(
            breaker(&root.key("breaker"), &Raw::Undefined).unwrap(),
            None
        );
        assert_eq!(
            breaker(&root.key("breaker"), &obj(&[])).unwrap(),
            Some(BreakerConfig::default())
        );
        let e = breaker(
            &root.key("breaker"),
            &obj(&[("failureRatio", Raw::Number(0.0))]),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "client.breaker.failureRatio must be a number above 0 and at most 1, got 0"
        );
        assert_eq!(
            retry_budget(
                &root.key("retryBudget"),
                &Raw::Undefined,
                Some(BudgetConfig::default())
            )
            .unwrap(),
            Some(BudgetConfig::default())
        );
        assert_eq!(
            retry_budget(
                &root.key("retryBudget"),
                &Raw::Bool(false),
                Some(BudgetConfig::default())
            )
            .unwrap(),
            None
        );
        let e = retry_budget(
            &root.key("retryBudget"),
            &obj(&[("ratio", Raw::Number(-1.0))]),
            None,
        )
        .unwrap_err();
        assert!(
            e.message.starts_with("client.retryBudget.ratio must be"),
            "{e}"
        );
        let call = FieldPath::Root("options");
        let e = hedge(&call.key("hedge"), &obj(&[])).unwrap_err();
        assert_eq!(e.message, "options.hedge.delay is required");
        let h = hedge(
            &call.key("hedge"),
            &obj(&[("delay", Raw::Number(30.0)), ("max", Raw::Number(2.0))]),
        )
        .unwrap()
        .unwrap();
        assert_eq!((h.delay_ms, h.max), (30.0, 2));
        let e = hedge(&call.key("hedge"), &Raw::Bool(true)).unwrap_err();
        assert_eq!(
            e.message,
            "options.hedge must be false or an object with a delay, got true"
        );
        let e = breaker(&root.key("breaker"), &obj(&[("windw", Raw::Number(1.0))])).unwrap_err();
        assert!(e
            .message
            .starts_with("client.breaker has no option \"windw\""));
    }
}
