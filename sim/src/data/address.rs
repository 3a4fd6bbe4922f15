//! Postal addresses shared by organisations (`address`) and persons
//! (`postal_address`); the member names are Pipedrive's.

use super::rng::Draw;
use super::text;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Address {
    pub value: String,
    pub country: Option<String>,
    pub admin_area_level_1: Option<String>,
    pub admin_area_level_2: Option<String>,
    pub locality: Option<String>,
    pub sublocality: Option<String>,
    pub route: Option<String>,
    pub street_number: Option<String>,
    pub subpremise: Option<String>,
    pub postal_code: Option<String>,
}

pub(crate) fn generate_address(draw: &Draw, attr: u64) -> Address {
    let place = &text::PLACES[draw.below(attr, text::PLACES.len() as u64) as usize];
    let route = draw.pick(attr + 1, place.routes);
    let number = draw.range(attr + 2, 1, 250).to_string();
    let subpremise = draw
        .percent(attr + 3, 30)
        .then(|| format!("{}", draw.range(attr + 4, 1, 40)));
    Address {
        value: format!(
            "{route} {number}, {} {}, {}",
            place.postal_code, place.locality, place.country
        ),
        country: Some(place.country.to_string()),
        admin_area_level_1: Some(place.admin_area_level_1.to_string()),
        admin_area_level_2: place.admin_area_level_2.map(str::to_string),
        locality: Some(place.locality.to_string()),
        sublocality: place.sublocality.map(str::to_string),
        route: Some(route.to_string()),
        street_number: Some(number),
        subpremise,
        postal_code: Some(place.postal_code.to_string()),
    }
}
