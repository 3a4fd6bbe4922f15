//! Application buffers bound to result columns (SQLBindCol, the ARD) and to
//! parameters (SQLBindParameter, the APD + IPD), and the address arithmetic
//! of column-wise and row-wise binding.

use crate::convert::to_c::fixed_size;

/// One SQLBindCol binding. Pointers are stored as addresses: they belong to
/// the application and are only written through during fetches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnBinding {
    pub c_type: i16,
    pub target: usize,
    pub buffer_len: isize,
    /// SQL_DESC_INDICATOR_PTR.
    pub indicator: usize,
    /// SQL_DESC_OCTET_LENGTH_PTR (SQLBindCol sets both to the same buffer).
    pub octet_length: usize,
    pub precision: i16,
    pub scale: i16,
}

/// One SQLBindParameter binding.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamBinding {
    pub io_type: i16,
    pub c_type: i16,
    pub sql_type: i16,
    pub column_size: usize,
    pub decimal_digits: i16,
    pub value: usize,
    pub buffer_len: isize,
    pub indicator: usize,
}

/// The size of one element of a column-wise bound array.
pub fn element_size(c_type: i16, buffer_len: isize) -> usize {
    fixed_size(c_type).unwrap_or_else(|| usize::try_from(buffer_len).unwrap_or(0))
}

/// Address of row `row`'s element: column-wise (`bind_type` 0) steps by the
/// element size, row-wise by the row structure size `bind_type`; the bind
/// offset (SQL_ATTR_ROW_BIND_OFFSET_PTR's value) is added to every address.
pub fn element_address(
    base: usize,
    row: usize,
    bind_type: usize,
    element: usize,
    offset: isize,
) -> usize {
    if base == 0 {
        return 0;
    }
    let step = if bind_type == 0 { element } else { bind_type };
    (base as isize)
        .wrapping_add(offset)
        .wrapping_add((row * step) as isize) as usize
}

/// Address of row `row`'s length/indicator (an SQLLEN).
pub fn indicator_address(base: usize, row: usize, bind_type: usize, offset: isize) -> usize {
    element_address(base, row, bind_type, std::mem::size_of::<isize>(), offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::convert::c_types as c;

    #[test]
    fn column_wise_steps_by_element_size() {
        assert_eq!(
            element_address(1000, 3, 0, element_size(c::SLONG, 0), 0),
            1012
        );
        assert_eq!(
            element_address(1000, 2, 0, element_size(c::CHAR, 21), 0),
            1042
        );
        assert_eq!(indicator_address(2000, 2, 0, 0), 2016);
    }

    #[test]
    fn row_wise_steps_by_struct_size_plus_offset() {
        assert_eq!(element_address(1000, 3, 40, 4, 8), 1128);
        assert_eq!(indicator_address(1004, 1, 40, 0), 1044);
        assert_eq!(element_address(0, 3, 40, 4, 8), 0, "unbound stays null");
    }
}
