//! What an admin may ask of the user and reading views: how the user list is paged, searched
//! and sorted, and what an admin's change of a user may hold (the profile's own rules).

use uuid::Uuid;

use crate::db::PageRequest;
use crate::db::users::{AdminUpdate, ListQuery, SortBy};
use crate::domain::enums::Role;
use crate::domain::paging::PageQuery;
use crate::domain::profile;
use crate::domain::validation::Issue;

/// The user list's query as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserListQuery {
    pub page: PageQuery,
    pub search: Option<String>,
    /// `createdAt` (default), `walletAddress` or `displayName`.
    pub sort_by: Option<String>,
    /// `asc` or `desc` (default).
    pub sort_order: Option<String>,
}

/// The user list to fetch, or every issue of the query (page first, then the sort).
pub fn user_list(q: UserListQuery) -> Result<ListQuery, Vec<Issue>> {
    let mut issues = Vec::new();
    let page = q.page.check(&mut issues);
    let sort_by = match q.sort_by.as_deref() {
        None | Some("createdAt") => SortBy::CreatedAt,
        Some("walletAddress") => SortBy::WalletAddress,
        Some("displayName") => SortBy::DisplayName,
        Some(_) => {
            issues.push(Issue::new(
                "sortBy",
                "must be createdAt, walletAddress or displayName",
            ));
            SortBy::CreatedAt
        }
    };
    let descending = match q.sort_order.as_deref() {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(_) => {
            issues.push(Issue::new("sortOrder", "must be asc or desc"));
            true
        }
    };
    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(ListQuery {
        page,
        // A blank search lists everyone.
        search: q.search.filter(|s| !s.trim().is_empty()),
        sort_by,
        descending,
    })
}

/// The reading list's query: optionally one user's, a page of them.
pub fn reading_list(
    user_id: Option<Uuid>,
    page: PageQuery,
) -> Result<(Option<Uuid>, PageRequest), Vec<Issue>> {
    Ok((user_id, page.request()?))
}

/// An admin's change of a user as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserChanges {
    pub role: Option<Role>,
    /// Older clients send this instead of `role`: true means admin, false means user.
    pub is_admin: Option<bool>,
    pub display_name: Option<String>,
    pub email: Option<String>,
}

/// The update to store, or the profile rules the name and email break.
pub fn user_update(changes: UserChanges) -> Result<AdminUpdate, Vec<Issue>> {
    let mut issues = Vec::new();
    if let Some(name) = &changes.display_name {
        profile::check_display_name(name, &mut issues);
    }
    if let Some(email) = &changes.email {
        profile::check_email(email, &mut issues);
    }
    if !issues.is_empty() {
        return Err(issues);
    }
    let role = changes.role.or(changes
        .is_admin
        .map(|admin| if admin { Role::Admin } else { Role::User }));
    Ok(AdminUpdate {
        role,
        display_name: changes.display_name.map(|n| n.trim().to_owned()),
        email: changes.email,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(issues: Vec<Issue>) -> Vec<serde_json::Value> {
        issues.into_iter().map(|i| i.path.into()).collect()
    }

    #[test]
    fn user_lists_report_every_bad_parameter_in_order() {
        let bad = UserListQuery {
            page: PageQuery::new(Some(0), None),
            sort_by: Some("email".into()),
            sort_order: Some("up".into()),
            ..UserListQuery::default()
        };
        assert_eq!(
            paths(user_list(bad).unwrap_err()),
            [
                serde_json::json!(["page"]),
                serde_json::json!(["sortBy"]),
                serde_json::json!(["sortOrder"])
            ]
        );
        let ok = user_list(UserListQuery {
            search: Some("  ".into()),
            sort_order: Some("asc".into()),
            ..UserListQuery::default()
        })
        .unwrap();
        assert!(ok.search.is_none() && !ok.descending);
        assert_eq!(ok.page, PageRequest { page: 1, limit: 20 });
    }

    #[test]
    fn user_updates_follow_the_profile_rules() {
        let bad = UserChanges {
            display_name: Some(" ".into()),
            email: Some("nope".into()),
            ..UserChanges::default()
        };
        assert_eq!(user_update(bad).unwrap_err().len(), 2);
        let up = user_update(UserChanges {
            is_admin: Some(true),
            display_name: Some(" Made ".into()),
            ..UserChanges::default()
        })
        .unwrap();
        assert_eq!(up.role, Some(Role::Admin));
        assert_eq!(up.display_name.as_deref(), Some("Made"));
        let up = user_update(UserChanges {
            role: Some(Role::User),
            is_admin: Some(true),
            ..UserChanges::default()
        })
        .unwrap();
        assert_eq!(up.role, Some(Role::User));
    }
}
