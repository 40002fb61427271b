use super::*;
use crate::import::mapping::{Fallback, Kind, Sign};
use chrono::TimeZone;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()
}

fn text(t: &str) -> SourceValue {
    SourceValue::Text(t.into())
}

fn ok(value: SourceValue, kind: Kind) -> TargetValue {
    convert(&value, kind, Fallback::Null, now()).unwrap()
}

#[test]
fn booleans_from_zero_and_one() {
    assert_eq!(ok(SourceValue::Integer(1), Kind::Bool), TargetValue::Bool(true));
    assert_eq!(ok(SourceValue::Integer(0), Kind::Bool), TargetValue::Bool(false));
    assert_eq!(ok(text("true"), Kind::Bool), TargetValue::Bool(true));
    assert!(convert(&SourceValue::Integer(2), Kind::Bool, Fallback::Null, now()).is_err());
    assert_eq!(
        convert(&SourceValue::Null, Kind::Bool, Fallback::False, now()).unwrap(),
        TargetValue::Bool(false)
    );
}

#[test]
fn both_datetime_formats_and_epochs() {
    let at = Utc.with_ymd_and_hms(2026, 2, 10, 14, 3, 22).unwrap();
    assert_eq!(
        ok(text("2026-02-10 14:03:22"), Kind::Timestamp),
        TargetValue::Timestamp(at)
    );
    assert_eq!(
        ok(text("2026-02-10T14:03:22Z"), Kind::Timestamp),
        TargetValue::Timestamp(at)
    );
    assert_eq!(
        ok(text("2026-02-10T22:03:22+08:00"), Kind::Timestamp),
        TargetValue::Timestamp(at)
    );
    let with_ms = at + chrono::Duration::milliseconds(123);
    assert_eq!(
        ok(text("2026-02-10T14:03:22.123Z"), Kind::Timestamp),
        TargetValue::Timestamp(with_ms)
    );
    assert_eq!(
        ok(SourceValue::Integer(at.timestamp()), Kind::Timestamp),
        TargetValue::Timestamp(at)
    );
    assert_eq!(
        ok(SourceValue::Integer(with_ms.timestamp_millis()), Kind::Timestamp),
        TargetValue::Timestamp(with_ms)
    );
    assert!(convert(&text("yesterday"), Kind::Timestamp, Fallback::Null, now()).is_err());
    assert_eq!(
        convert(&SourceValue::Null, Kind::Timestamp, Fallback::Now, now()).unwrap(),
        TargetValue::Timestamp(now())
    );
}

#[test]
fn json_objects_including_double_encoded_ones() {
    let object = serde_json::json!({"a": [1, "ü"]});
    assert_eq!(
        ok(text(r#"{"a":[1,"ü"]}"#), Kind::JsonObject),
        TargetValue::Json(object.clone())
    );
    let double = serde_json::to_string(&serde_json::to_string(&object).unwrap()).unwrap();
    assert_eq!(ok(text(&double), Kind::JsonObject), TargetValue::Json(object));
    assert_eq!(
        ok(text(r#"["love","crypto"]"#), Kind::JsonArray),
        TargetValue::Json(serde_json::json!(["love", "crypto"]))
    );
    assert!(convert(&text("[1]"), Kind::JsonObject, Fallback::Null, now()).is_err());
    assert!(convert(&text("{oops"), Kind::JsonObject, Fallback::Null, now()).is_err());
}

#[test]
fn reals_become_exact_decimals() {
    assert_eq!(
        ok(SourceValue::Real(0.1), Kind::Numeric(Sign::NonNegative)),
        TargetValue::Numeric(Decimal::new(1, 1))
    );
    assert_eq!(
        ok(SourceValue::Real(24.99), Kind::Numeric(Sign::NonNegative)),
        TargetValue::Numeric(Decimal::new(2499, 2))
    );
    assert_eq!(
        ok(SourceValue::Real(1e-7), Kind::Numeric(Sign::NonNegative)),
        TargetValue::Numeric(Decimal::new(1, 7))
    );
    assert_eq!(
        ok(SourceValue::Integer(10), Kind::Numeric(Sign::NonNegative)),
        TargetValue::Numeric(Decimal::from(10))
    );
    assert!(
        convert(
            &SourceValue::Real(-1.0),
            Kind::Numeric(Sign::NonNegative),
            Fallback::Null,
            now()
        )
        .is_err()
    );
    assert!(
        convert(
            &SourceValue::Real(0.0),
            Kind::Numeric(Sign::Positive),
            Fallback::Null,
            now()
        )
        .is_err()
    );
}

#[test]
fn texts_uuids_enums_and_roles() {
    let id = Uuid::new_v4();
    assert_eq!(ok(text(&id.to_string()), Kind::Uuid), TargetValue::Uuid(id));
    assert!(convert(&text("user-1"), Kind::Uuid, Fallback::Null, now()).is_err());
    assert!(convert(&text("x"), Kind::Text { min: 32, max: 64 }, Fallback::Null, now()).is_err());
    assert_eq!(
        ok(text("   "), Kind::Text { min: 1, max: 50 }),
        TargetValue::Null,
        "blank optional text is NULL"
    );
    assert!(convert(&text("weird"), Kind::Enum(&["a", "b"]), Fallback::Null, now()).is_err());
    assert_eq!(
        ok(SourceValue::Integer(1), Kind::Role),
        TargetValue::Text("admin".into())
    );
    assert_eq!(
        ok(text("developer"), Kind::Role),
        TargetValue::Text("developer".into())
    );
    assert!(convert(&SourceValue::Null, Kind::Uuid, Fallback::Required, now()).is_err());
    assert_eq!(
        ok(text("1990-05-15"), Kind::Date),
        TargetValue::Date(NaiveDate::from_ymd_opt(1990, 5, 15).unwrap())
    );
    assert!(convert(&text("1990-02-30"), Kind::Date, Fallback::Null, now()).is_err());
}
