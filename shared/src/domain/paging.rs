//! Which page of an admin list is asked for: `page` 1 or more (default 1), `limit` 1 to 100
//! (default 20).

use crate::db::PageRequest;
use crate::domain::validation::Issue;

/// `page` and `limit` as a query string gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageQuery {
    pub page: Option<u32>,
    pub limit: Option<u32>,
}

impl PageQuery {
    pub const DEFAULT_LIMIT: u32 = 20;

    pub fn new(page: Option<u32>, limit: Option<u32>) -> Self {
        Self { page, limit }
    }

    /// The page asked for. A bad value adds its issue and stands in as the first page, so
    /// the other parameters of the same query are still checked and reported together.
    pub fn check(self, issues: &mut Vec<Issue>) -> PageRequest {
        let (page, limit) = (self.page.unwrap_or(1), self.limit.unwrap_or(Self::DEFAULT_LIMIT));
        PageRequest::new(page, limit).unwrap_or_else(|| {
            if page == 0 {
                issues.push(Issue::new("page", "must be 1 or more"));
            }
            if !(1..=PageRequest::MAX_LIMIT).contains(&limit) {
                issues.push(Issue::new("limit", "must be from 1 to 100"));
            }
            PageRequest {
                page: 1,
                limit: Self::DEFAULT_LIMIT,
            }
        })
    }

    /// The page asked for, or every issue of it.
    pub fn request(self) -> Result<PageRequest, Vec<Issue>> {
        let mut issues = Vec::new();
        let page = self.check(&mut issues);
        if issues.is_empty() { Ok(page) } else { Err(issues) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(q: PageQuery) -> Vec<String> {
        q.request()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|i| format!("{}: {}", serde_json::Value::from(i.path), i.message))
            .collect::<Vec<_>>()
    }

    #[test]
    fn defaults_and_bounds() {
        assert_eq!(
            PageQuery::default().request(),
            Ok(PageRequest { page: 1, limit: 20 })
        );
        assert_eq!(
            PageQuery::new(Some(3), Some(100)).request(),
            Ok(PageRequest { page: 3, limit: 100 })
        );
        assert_eq!(
            messages(PageQuery::new(Some(0), Some(101))),
            [
                r#"["page"]: must be 1 or more"#,
                r#"["limit"]: must be from 1 to 100"#
            ]
        );
        assert_eq!(
            messages(PageQuery::new(None, Some(0))),
            [r#"["limit"]: must be from 1 to 100"#]
        );
    }
}
