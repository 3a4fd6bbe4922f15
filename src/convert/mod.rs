//! Values <-> ODBC C data types, following the conversion tables of the
//! ODBC reference (appendix D).

pub mod c_types;
pub mod from_c;
pub mod to_c;
