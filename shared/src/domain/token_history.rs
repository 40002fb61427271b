//! A wallet's token history: its token transactions and its off-chain rewards in one list,
//! newest first (the original's merge rule).

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use uuid::Uuid;

use crate::db::token_transactions::TokenTransaction;
use crate::db::user_rewards::UserReward;
use crate::domain::enums::{PaymentStatus, RewardStatus, TransactionType};
use crate::domain::validation::{self, Issue, outcome};
use crate::wire;

/// Which part of the history: at most `limit` entries, `offset` transactions skipped
/// (rewards are not offset), optionally one transaction type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryPage {
    pub limit: i64,
    pub offset: i64,
    pub kind: Option<TransactionType>,
}

impl HistoryPage {
    /// The page a query asks for: `limit` 1 to 100 (default 20), `offset` 0 or more (default
    /// 0); every issue of both otherwise.
    pub fn check(
        limit: Option<i64>,
        offset: Option<i64>,
        kind: Option<TransactionType>,
    ) -> Result<Self, Vec<Issue>> {
        let mut issues = Vec::new();
        let limit = validation::limit(limit, 20, 100, &mut issues);
        let offset = offset.unwrap_or(0);
        if offset < 0 {
            issues.push(Issue::new("offset", "must be 0 or more"));
        }
        outcome(issues, Self { limit, offset, kind })
    }
}

/// One entry: a full transaction tagged `source: "transaction"`, or a reward shown as a
/// `neptu_reward` tagged `source: "reward"`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum HistoryEntry {
    Transaction(TransactionEntry),
    Reward(RewardEntry),
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TransactionEntry {
    #[serde(flatten)]
    pub transaction: TokenTransaction,
    #[schema(example = "transaction")]
    pub source: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RewardEntry {
    pub id: Uuid,
    pub transaction_type: TransactionType,
    #[schema(value_type = f64)]
    #[serde(with = "rust_decimal::serde::float")]
    pub neptu_amount: Decimal,
    /// `confirmed` once claimed, else `pending`.
    pub status: PaymentStatus,
    #[serde(serialize_with = "wire::timestamp")]
    pub created_at: DateTime<Utc>,
    pub description: String,
    pub tx_signature: Option<String>,
    #[schema(example = "reward")]
    pub source: &'static str,
}

impl HistoryEntry {
    fn created_at(&self) -> DateTime<Utc> {
        match self {
            HistoryEntry::Transaction(t) => t.transaction.created_at,
            HistoryEntry::Reward(r) => r.created_at,
        }
    }
}

impl From<UserReward> for RewardEntry {
    fn from(reward: UserReward) -> Self {
        Self {
            id: reward.id,
            transaction_type: TransactionType::NeptuReward,
            neptu_amount: reward.neptu_amount,
            status: if reward.status == RewardStatus::Claimed {
                PaymentStatus::Confirmed
            } else {
                PaymentStatus::Pending
            },
            created_at: reward.created_at,
            description: reward
                .description
                .unwrap_or_else(|| reward.reward_type.as_str().to_owned()),
            tx_signature: reward.claim_tx_signature,
            source: "reward",
        }
    }
}

/// Merges both lists, newest first, cut to `limit`.
pub fn merge(
    transactions: Vec<TokenTransaction>,
    rewards: Vec<UserReward>,
    limit: usize,
) -> Vec<HistoryEntry> {
    let mut entries: Vec<HistoryEntry> = transactions
        .into_iter()
        .map(|transaction| {
            HistoryEntry::Transaction(TransactionEntry {
                transaction,
                source: "transaction",
            })
        })
        .chain(rewards.into_iter().map(|r| HistoryEntry::Reward(r.into())))
        .collect();
    entries.sort_by_key(|e| std::cmp::Reverse(e.created_at()));
    entries.truncate(limit);
    entries
}

/// Whether rewards belong in a history filtered by `kind` (only unfiltered or `neptu_reward`).
pub fn includes_rewards(kind: Option<TransactionType>) -> bool {
    matches!(kind, None | Some(TransactionType::NeptuReward))
}

#[cfg(test)]
mod page_validation_tests {
    use super::*;

    fn messages(limit: Option<i64>, offset: Option<i64>) -> Vec<String> {
        HistoryPage::check(limit, offset, None)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|i| format!("{}: {}", serde_json::Value::from(i.path), i.message))
            .collect()
    }

    #[test]
    fn pages_default_and_bound() {
        let kind = Some(TransactionType::SolPayment);
        assert_eq!(
            HistoryPage::check(None, None, kind),
            Ok(HistoryPage {
                limit: 20,
                offset: 0,
                kind
            })
        );
        assert_eq!(
            HistoryPage::check(Some(100), Some(7), None),
            Ok(HistoryPage {
                limit: 100,
                offset: 7,
                kind: None
            })
        );
        assert_eq!(
            messages(Some(0), Some(-1)),
            [
                r#"["limit"]: must be an integer from 1 to 100"#,
                r#"["offset"]: must be 0 or more"#
            ]
        );
        assert_eq!(messages(None, Some(-5)), [r#"["offset"]: must be 0 or more"#]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::enums::RewardType;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 10, minute, 0).unwrap()
    }

    fn tx(minute: u32) -> TokenTransaction {
        TokenTransaction {
            id: Uuid::new_v4(),
            user_id: Uuid::nil(),
            tx_signature: format!("sig{minute}"),
            transaction_type: TransactionType::SolPayment,
            reading_type: None,
            sol_amount: Some(Decimal::new(1, 2)),
            neptu_amount: None,
            sudigital_amount: None,
            neptu_burned: None,
            neptu_rewarded: Some(Decimal::TEN),
            status: PaymentStatus::Confirmed,
            created_at: at(minute),
            confirmed_at: Some(at(minute)),
        }
    }

    fn reward(minute: u32, status: RewardStatus) -> UserReward {
        UserReward {
            id: Uuid::new_v4(),
            user_id: Uuid::nil(),
            reward_type: RewardType::DailyCheckIn,
            neptu_amount: Decimal::new(1, 1),
            status,
            description: None,
            claim_tx_signature: None,
            expires_at: None,
            created_at: at(minute),
            claimed_at: None,
        }
    }

    #[test]
    fn newest_first_and_cut_to_the_limit() {
        let merged = merge(
            vec![tx(1), tx(5)],
            vec![reward(3, RewardStatus::Pending), reward(7, RewardStatus::Claimed)],
            3,
        );
        let times: Vec<_> = merged.iter().map(HistoryEntry::created_at).collect();
        assert_eq!(times, [at(7), at(5), at(3)]);
        let json = serde_json::to_value(&merged).unwrap();
        assert_eq!(json[0]["source"], "reward");
        assert_eq!(json[0]["status"], "confirmed");
        assert_eq!(json[0]["description"], "daily_check_in");
        assert_eq!(json[0]["neptuAmount"], serde_json::json!(0.1));
        assert_eq!(json[1]["source"], "transaction");
        assert_eq!(json[1]["txSignature"], "sig5");
        assert_eq!(json[2]["status"], "pending");
    }

    #[test]
    fn rewards_only_in_unfiltered_or_reward_histories() {
        assert!(includes_rewards(None));
        assert!(includes_rewards(Some(TransactionType::NeptuReward)));
        assert!(!includes_rewards(Some(TransactionType::SolPayment)));
    }
}
