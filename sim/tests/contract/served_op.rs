//! An operation the simulator serves, as `served_operations()` lists it:
//! `("GET", "v2:/deals/{id}")`.

/// One entry of `served_operations()`: `("GET", "v2:/deals/{id}")`.
#[derive(Clone, Debug)]
pub struct ServedOp {
    pub method: String,
    pub api: String,
    pub template: String,
}

impl ServedOp {
    pub fn parse(method: &str, tagged: &str) -> ServedOp {
        let (api, template) = tagged
            .split_once(':')
            .unwrap_or_else(|| panic!("served operation {tagged:?} is not `api:/template`"));
        ServedOp {
            method: method.to_ascii_uppercase(),
            api: api.to_string(),
            template: template.to_string(),
        }
    }

    pub fn label(&self) -> String {
        format!("{} {}:{}", self.method, self.api, self.template)
    }

    /// `api:template`, the key of collected records.
    pub fn key(&self) -> String {
        format!("{}:{}", self.api, self.template)
    }

    pub fn url_prefix(&self) -> &'static str {
        match self.api.as_str() {
            "v1" => "/api/v1",
            _ => "/api/v2",
        }
    }

    pub fn segments(&self) -> Vec<&str> {
        self.template.split('/').collect()
    }

    /// Index (in `segments`) of the last `{param}`.
    pub fn last_param(&self) -> Option<usize> {
        self.segments()
            .iter()
            .rposition(|s| s.starts_with('{') && s.ends_with('}'))
    }

    /// `api:template` of the list the last path parameter's value comes
    /// from: `v2:/deals` for `/deals/{id}`.
    pub fn parent_key(&self) -> Option<String> {
        let i = self.last_param()?;
        Some(format!("{}:{}", self.api, self.segments()[..i].join("/")))
    }
}
