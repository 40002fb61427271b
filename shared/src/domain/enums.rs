//! The enum-like text values of the schema, as Rust enums.
//!
//! Each one is stored as `text` (with a CHECK constraint listing the same strings), sent as the
//! same string in JSON, and parsed from it in requests, so one definition covers all three.

/// Declares a text-backed enum with `as_str`, `FromStr`, serde and sqlx (Postgres `text`)
/// support. The string given for each variant is the only spelling used anywhere.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::domain::enums::UnknownValue;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::domain::enums::UnknownValue {
                        kind: stringify!($name),
                        allowed: &[$($text),+],
                    }),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),+]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl sqlx::Type<sqlx::Postgres> for $name {
            fn type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::Type<sqlx::Postgres>>::type_info()
            }
            fn compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::Type<sqlx::Postgres>>::compatible(ty)
            }
        }

        impl sqlx::Encode<'_, sqlx::Postgres> for $name {
            fn encode_by_ref(
                &self,
                buf: &mut sqlx::postgres::PgArgumentBuffer,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<sqlx::Postgres>>::encode(self.as_str(), buf)
            }
        }

        impl sqlx::postgres::PgHasArrayType for $name {
            fn array_type_info() -> sqlx::postgres::PgTypeInfo {
                <&str as sqlx::postgres::PgHasArrayType>::array_type_info()
            }
            fn array_compatible(ty: &sqlx::postgres::PgTypeInfo) -> bool {
                <&str as sqlx::postgres::PgHasArrayType>::array_compatible(ty)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Postgres> for $name {
            fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let text = <&str as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
                Ok(text.parse()?)
            }
        }
    };
}

/// A string that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {kind}: expected one of {}", allowed.join(", "))]
pub struct UnknownValue {
    pub kind: &'static str,
    pub allowed: &'static [&'static str],
}

text_enum!(
    /// `users.role`.
    Role { Admin = "admin", Developer = "developer", User = "user" }
);

text_enum!(
    /// `readings.type`.
    ReadingKind { Potensi = "potensi", Peluang = "peluang", Compatibility = "compatibility" }
);

text_enum!(
    /// `payments.payment_type`.
    PaymentType { Sol = "sol", Neptu = "neptu", Sudigital = "sudigital" }
);

text_enum!(
    /// `payments.status` and `token_transactions.status`.
    PaymentStatus { Pending = "pending", Confirmed = "confirmed", Failed = "failed" }
);

text_enum!(
    /// `token_transactions.transaction_type`.
    TransactionType {
        SolPayment = "sol_payment",
        NeptuPayment = "neptu_payment",
        SudigitalPayment = "sudigital_payment",
        NeptuReward = "neptu_reward",
        NeptuBurn = "neptu_burn",
    }
);

text_enum!(
    /// What a payment bought (`token_transactions.reading_type`); upper case on the wire.
    ReadingType {
        Potensi = "POTENSI",
        Peluang = "PELUANG",
        AiChat = "AI_CHAT",
        Compatibility = "COMPATIBILITY",
    }
);

text_enum!(
    /// `user_rewards.reward_type`.
    RewardType {
        DailyCheckIn = "daily_check_in",
        StreakBonus = "streak_bonus",
        FirstReading = "first_reading",
        Referral = "referral",
        RefereeBonus = "referee_bonus",
        SocialShare = "social_share",
        AuspiciousDay = "auspicious_day",
        PaymentReward = "payment_reward",
        HabitCompletion = "habit_completion",
        HabitStreak = "habit_streak",
    }
);

text_enum!(
    /// `user_rewards.status`.
    RewardStatus { Pending = "pending", Claimed = "claimed", Expired = "expired" }
);

text_enum!(
    /// `referrals.referrer_reward_paid` / `referee_reward_paid`.
    PayoutStatus { Pending = "pending", Paid = "paid" }
);

text_enum!(
    /// The 18 interests a profile may list.
    Interest {
        Love = "love",
        Career = "career",
        Health = "health",
        Finance = "finance",
        Family = "family",
        Friendship = "friendship",
        Intimacy = "intimacy",
        Spirituality = "spirituality",
        Mindfulness = "mindfulness",
        Selfgrowth = "selfgrowth",
        Purpose = "purpose",
        Balance = "balance",
        Creativity = "creativity",
        Travel = "travel",
        Fitness = "fitness",
        Education = "education",
        Luck = "luck",
        Crypto = "crypto",
    }
);

text_enum!(
    /// What an API key may do (`api_keys.scopes`).
    ApiScope { Read = "neptu:read", Write = "neptu:write", Ai = "neptu:ai", Admin = "neptu:admin" }
);

text_enum!(
    /// `api_subscriptions.status`.
    SubscriptionStatus {
        Active = "active",
        Paused = "paused",
        Cancelled = "cancelled",
        Expired = "expired",
        PastDue = "past_due",
    }
);

text_enum!(
    /// `api_pricing_plans.tier`.
    ApiTier { Starter = "starter", Pro = "pro", Business = "business", Enterprise = "enterprise" }
);

text_enum!(
    /// `api_pricing_plans.billing_period`.
    BillingPeriod { Monthly = "monthly", Yearly = "yearly" }
);

text_enum!(
    /// What an `api_payments` row bought.
    ApiPaymentKind { Subscription = "subscription", Credits = "credits" }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip() {
        for kind in RewardType::ALL {
            assert_eq!(kind.as_str().parse::<RewardType>().unwrap(), *kind);
            let json = serde_json::to_string(kind).unwrap();
            assert_eq!(serde_json::from_str::<RewardType>(&json).unwrap(), *kind);
        }
        assert_eq!(Interest::ALL.len(), 18);
        assert_eq!(ReadingType::AiChat.to_string(), "AI_CHAT");
    }

    #[test]
    fn unknown_values_list_the_allowed_ones() {
        let err = "root".parse::<Role>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid Role: expected one of admin, developer, user"
        );
        assert!(serde_json::from_str::<Role>("\"Admin\"").is_err());
    }
}
