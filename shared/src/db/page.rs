//! Page/limit pagination for admin lists: `{data, total, page, limit, totalPages}`.

use serde::Serialize;

/// A validated page request (page ≥ 1, 1 ≤ limit ≤ 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u32,
    pub limit: u32,
}

impl PageRequest {
    pub const MAX_LIMIT: u32 = 100;

    pub fn new(page: u32, limit: u32) -> Option<Self> {
        (page >= 1 && (1..=Self::MAX_LIMIT).contains(&limit)).then_some(Self { page, limit })
    }

    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.limit)
    }

    pub fn limit(self) -> i64 {
        i64::from(self.limit)
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    pub data: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub limit: u32,
    pub total_pages: i64,
}

impl<T> Page<T> {
    pub fn new(data: Vec<T>, total: i64, request: PageRequest) -> Self {
        let limit = i64::from(request.limit);
        Self {
            data,
            total,
            page: request.page,
            limit: request.limit,
            total_pages: (total + limit - 1) / limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_and_arithmetic() {
        assert!(PageRequest::new(0, 20).is_none());
        assert!(PageRequest::new(1, 0).is_none());
        assert!(PageRequest::new(1, 101).is_none());
        let req = PageRequest::new(3, 20).unwrap();
        assert_eq!(req.offset(), 40);
        let page = Page::new(vec![1], 41, req);
        assert_eq!(page.total_pages, 3);
        assert_eq!(Page::<u8>::new(vec![], 0, req).total_pages, 0);
    }
}
