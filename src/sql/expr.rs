//! Compiled expressions and their evaluation with SQL semantics: NULL
//! propagation, three-valued logic, comparisons by type, checked integer
//! arithmetic.
//!
//! `compile` (compile.rs) builds these from sqlparser's AST, resolving
//! columns to row positions and fixing every node's type, so evaluation only
//! dispatches on values. Every value an expression yields is carried in the
//! `Value` variant its `TypedExpr::data_type` implies (Int for INTEGER and
//! BIGINT, Double for DOUBLE, Text for text, ...), except columns and
//! parameters, which yield what the row or the application supplied.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::diag::{OdbcError, SqlState};
use crate::types::DataType;
use crate::value::{Timestamp, Value};

use super::cast::{self, CastTarget};
use super::functions::ScalarFunction;
use super::like::{self, LikePattern};
use super::value_set::SubqueryResult;

/// A column an identifier resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ColumnRef {
    /// Position in the rows the compiled expression is evaluated against.
    pub index: usize,
    pub data_type: DataType,
    pub nullable: bool,
}

/// Resolves column names for one FROM clause (the planner implements it per
/// table or join).
pub trait Scope {
    /// `qualifier` is the table name or alias of `t.col`; names arrive as
    /// written, without quotes. An unknown column is the scope's 42S22.
    fn resolve_column(&self, qualifier: Option<&str>, name: &str) -> Result<ColumnRef, OdbcError>;
}

/// What an expression may read besides the row: fixed for one execution so
/// that every row sees the same CURRENT_TIMESTAMP.
#[derive(Debug, Clone, PartialEq)]
pub struct EvalEnv {
    /// The statement's current time (UTC).
    pub now: Timestamp,
    /// USER(): the name the connection authenticated as.
    pub user: String,
    /// DATABASE(): the connection's catalog name.
    pub database: String,
    /// Results of the statement's uncorrelated subqueries, by slot
    /// (`Expr::Subquery`, `Expr::InSubquery`), computed before its rows.
    pub subqueries: Arc<Vec<SubqueryResult>>,
    /// LAST_INSERT_ID() / SCOPE_IDENTITY(): the id of the last record the
    /// connection created, NULL before its first INSERT.
    pub last_insert_id: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithmeticOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

/// How arithmetic is carried out, fixed by the operand types at compile
/// time: exact checked i64 when both are integers, else f64.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumericDomain {
    Integer,
    Double,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    NotEq,
    Lt,
    LtEq,
    Gt,
    GtEq,
}

impl CompareOp {
    fn holds(self, ordering: Ordering) -> bool {
        match self {
            CompareOp::Eq => ordering == Ordering::Equal,
            CompareOp::NotEq => ordering != Ordering::Equal,
            CompareOp::Lt => ordering == Ordering::Less,
            CompareOp::LtEq => ordering != Ordering::Greater,
            CompareOp::Gt => ordering == Ordering::Greater,
            CompareOp::GtEq => ordering != Ordering::Less,
        }
    }

    /// The operator with its operands swapped (`a < b` is `b > a`), for
    /// planners that want the column on the left.
    pub fn flipped(self) -> CompareOp {
        match self {
            CompareOp::Lt => CompareOp::Gt,
            CompareOp::LtEq => CompareOp::GtEq,
            CompareOp::Gt => CompareOp::Lt,
            CompareOp::GtEq => CompareOp::LtEq,
            other => other,
        }
    }
}

/// The pattern side of a LIKE: compiled once when it is a literal.
#[derive(Debug, Clone, PartialEq)]
pub enum LikeMatcher {
    Compiled(LikePattern),
    Dynamic {
        pattern: Box<Expr>,
        escape: Option<Box<Expr>>,
    },
}

/// A compiled expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// The value at this position of the row.
    Column(usize),
    Literal(Value),
    /// The statement parameter at this 0-based position.
    Param(usize),
    /// Unary minus.
    Negate {
        expr: Box<Expr>,
        domain: NumericDomain,
    },
    Not(Box<Expr>),
    Arithmetic {
        op: ArithmeticOp,
        domain: NumericDomain,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `||`
    Concat(Box<Expr>, Box<Expr>),
    Compare {
        op: CompareOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// IS [NOT] DISTINCT FROM: equality where NULL equals NULL.
    IsDistinctFrom {
        left: Box<Expr>,
        right: Box<Expr>,
        negated: bool,
    },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    /// IS [NOT] TRUE / FALSE / UNKNOWN (`value: None` is UNKNOWN).
    IsTruth {
        expr: Box<Expr>,
        value: Option<bool>,
        negated: bool,
    },
    InList {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    Between {
        expr: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
        negated: bool,
    },
    /// `case_insensitive` is ILIKE: both sides are lowercased.
    Like {
        expr: Box<Expr>,
        matcher: LikeMatcher,
        negated: bool,
        case_insensitive: bool,
    },
    /// Simple CASE (with an operand) or searched CASE; results are converted
    /// to `result_type`.
    Case {
        operand: Option<Box<Expr>>,
        branches: Vec<(Expr, Expr)>,
        else_result: Option<Box<Expr>>,
        result_type: DataType,
    },
    /// COALESCE and IFNULL: evaluated lazily, left to right.
    Coalesce {
        args: Vec<Expr>,
        result_type: DataType,
    },
    NullIf(Box<Expr>, Box<Expr>),
    /// `null_on_error` is TRY_CAST.
    Cast {
        expr: Box<Expr>,
        target: CastTarget,
        null_on_error: bool,
    },
    /// A scalar function: NULL when any argument is NULL.
    Function {
        function: ScalarFunction,
        args: Vec<Expr>,
        result_type: DataType,
    },
    /// The value an uncorrelated subquery produced before the statement's
    /// rows were read (`EvalEnv::subqueries`): a scalar subquery's value,
    /// or EXISTS as a BIT.
    Subquery(usize),
    /// `expr [NOT] IN (subquery)` against the values the subquery in this
    /// slot produced.
    InSubquery {
        expr: Box<Expr>,
        slot: usize,
        negated: bool,
    },
}

/// An expression with the type and nullability SQLDescribeCol reports.
#[derive(Debug, Clone, PartialEq)]
pub struct TypedExpr {
    pub expr: Expr,
    pub data_type: DataType,
    pub nullable: bool,
}

/// WHERE/HAVING/ON truth: `Some(true)` true, `Some(false)` false, `None`
/// unknown (NULL). Numbers are true when non-zero (BIT columns), text must
/// read as a BIT value.
pub fn truth(v: &Value) -> Result<Option<bool>, OdbcError> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::Int(_) | Value::Double(_) | Value::Text(_) => cast::to_bool(v).map(Some),
        other => Err(OdbcError::new(
            SqlState::InvalidCharacterValueForCast,
            format!(
                "Invalid character value for cast: {} is not a truth value",
                other.to_text().unwrap_or_default()
            ),
        )),
    }
}

fn short(value: &Value) -> String {
    match value {
        Value::Text(t) => format!("'{}'", t.chars().take(40).collect::<String>()),
        other => other.to_text().unwrap_or_else(|| "NULL".into()),
    }
}

/// Orders two non-NULL values the SQL way (`Value::sql_cmp`, plus BIT
/// against its text forms); values that cannot be compared are a 22018
/// error, as SQL reports a failed implicit conversion.
pub fn compare_values(left: &Value, right: &Value) -> Result<Ordering, OdbcError> {
    let ordering = match (left, right) {
        (Value::Bool(b), Value::Text(_)) => cast::to_bool(right).ok().map(|t| b.cmp(&t)),
        (Value::Text(_), Value::Bool(b)) => cast::to_bool(left).ok().map(|t| t.cmp(b)),
        _ => left.sql_cmp(right),
    };
    ordering.ok_or_else(|| {
        OdbcError::new(
            SqlState::InvalidCharacterValueForCast,
            format!(
                "Invalid character value for cast: cannot compare {} with {}",
                short(left),
                short(right)
            ),
        )
    })
}

/// `left op right` under three-valued logic.
fn compare(op: CompareOp, left: &Value, right: &Value) -> Result<Option<bool>, OdbcError> {
    if left.is_null() || right.is_null() {
        return Ok(None);
    }
    Ok(Some(op.holds(compare_values(left, right)?)))
}

fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

fn not3(a: Option<bool>) -> Option<bool> {
    a.map(|b| !b)
}

fn bool_value(b: Option<bool>) -> Value {
    b.map_or(Value::Null, Value::Bool)
}

fn overflow(what: &str) -> OdbcError {
    OdbcError::new(
        SqlState::NumericOutOfRange,
        format!("Numeric value out of range: integer overflow in {what}"),
    )
}

fn missing_subquery(slot: usize) -> OdbcError {
    OdbcError::general(format!(
        "internal error: the result of subquery {slot} is not available"
    ))
}

fn division_by_zero() -> OdbcError {
    OdbcError::new(SqlState::DivisionByZero, "Division by zero")
}

/// An operand of integer arithmetic: integers as they are, integral
/// doubles and numeric text converted.
fn integer_operand(value: &Value) -> Result<i64, OdbcError> {
    match cast::to_number(value)? {
        Value::Int(n) => Ok(n),
        Value::Double(d) if d.fract() == 0.0 => cast::f64_to_i64(d),
        other => Err(OdbcError::new(
            SqlState::InvalidCharacterValueForCast,
            format!(
                "Invalid character value for cast: {} is not an integer",
                short(&other)
            ),
        )),
    }
}

fn arithmetic(
    op: ArithmeticOp,
    domain: NumericDomain,
    left: &Value,
    right: &Value,
) -> Result<Value, OdbcError> {
    match domain {
        NumericDomain::Integer => {
            let (a, b) = (integer_operand(left)?, integer_operand(right)?);
            let result = match op {
                ArithmeticOp::Add => a.checked_add(b).ok_or_else(|| overflow("addition"))?,
                ArithmeticOp::Subtract => {
                    a.checked_sub(b).ok_or_else(|| overflow("subtraction"))?
                }
                ArithmeticOp::Multiply => {
                    a.checked_mul(b).ok_or_else(|| overflow("multiplication"))?
                }
                // Rust's integer division truncates toward zero, as SQL's does.
                ArithmeticOp::Divide if b == 0 => return Err(division_by_zero()),
                ArithmeticOp::Divide => a.checked_div(b).ok_or_else(|| overflow("division"))?,
                ArithmeticOp::Modulo if b == 0 => return Err(division_by_zero()),
                // i64::MIN % -1 overflows in the machine but is 0.
                ArithmeticOp::Modulo => a.checked_rem(b).unwrap_or(0),
            };
            Ok(Value::Int(result))
        }
        NumericDomain::Double => {
            let (a, b) = (cast::to_f64(left)?, cast::to_f64(right)?);
            let result = match op {
                ArithmeticOp::Add => a + b,
                ArithmeticOp::Subtract => a - b,
                ArithmeticOp::Multiply => a * b,
                ArithmeticOp::Divide | ArithmeticOp::Modulo if b == 0.0 => {
                    return Err(division_by_zero())
                }
                ArithmeticOp::Divide => a / b,
                ArithmeticOp::Modulo => a % b,
            };
            if result.is_finite() {
                Ok(Value::Double(result))
            } else {
                Err(OdbcError::new(
                    SqlState::NumericOutOfRange,
                    "Numeric value out of range: floating-point overflow",
                ))
            }
        }
    }
}

impl Expr {
    /// Evaluates against one row, the statement's parameters and its
    /// environment.
    pub fn eval(&self, row: &[Value], params: &[Value], env: &EvalEnv) -> Result<Value, OdbcError> {
        match self {
            Expr::Column(index) => row.get(*index).cloned().ok_or_else(|| {
                OdbcError::general(format!("internal error: column {index} is outside the row"))
            }),
            Expr::Literal(value) => Ok(value.clone()),
            Expr::Param(index) => params.get(*index).cloned().ok_or_else(|| {
                OdbcError::new(
                    SqlState::WrongParameterCount,
                    format!(
                        "COUNT field incorrect: parameter {} has no value",
                        index + 1
                    ),
                )
            }),
            Expr::Negate { expr, domain } => {
                let value = expr.eval(row, params, env)?;
                if value.is_null() {
                    return Ok(Value::Null);
                }
                match domain {
                    NumericDomain::Integer => integer_operand(&value)?
                        .checked_neg()
                        .map(Value::Int)
                        .ok_or_else(|| overflow("negation")),
                    NumericDomain::Double => Ok(Value::Double(-cast::to_f64(&value)?)),
                }
            }
            Expr::Not(expr) => Ok(bool_value(not3(truth(&expr.eval(row, params, env)?)?))),
            Expr::Arithmetic {
                op,
                domain,
                left,
                right,
            } => {
                let l = left.eval(row, params, env)?;
                if l.is_null() {
                    return Ok(Value::Null);
                }
                let r = right.eval(row, params, env)?;
                if r.is_null() {
                    return Ok(Value::Null);
                }
                arithmetic(*op, *domain, &l, &r)
            }
            Expr::Concat(left, right) => {
                let (Some(mut l), Some(r)) = (
                    left.eval(row, params, env)?.to_text(),
                    right.eval(row, params, env)?.to_text(),
                ) else {
                    return Ok(Value::Null);
                };
                l.push_str(&r);
                Ok(Value::Text(l))
            }
            Expr::Compare { op, left, right } => {
                let l = left.eval(row, params, env)?;
                if l.is_null() {
                    return Ok(Value::Null);
                }
                let r = right.eval(row, params, env)?;
                Ok(bool_value(compare(*op, &l, &r)?))
            }
            Expr::IsDistinctFrom {
                left,
                right,
                negated,
            } => {
                let (l, r) = (left.eval(row, params, env)?, right.eval(row, params, env)?);
                let distinct = match (l.is_null(), r.is_null()) {
                    (true, true) => false,
                    (true, false) | (false, true) => true,
                    (false, false) => compare_values(&l, &r)? != Ordering::Equal,
                };
                Ok(Value::Bool(distinct != *negated))
            }
            Expr::And(left, right) => {
                let l = truth(&left.eval(row, params, env)?)?;
                if l == Some(false) {
                    return Ok(Value::Bool(false));
                }
                let r = truth(&right.eval(row, params, env)?)?;
                Ok(bool_value(and3(l, r)))
            }
            Expr::Or(left, right) => {
                let l = truth(&left.eval(row, params, env)?)?;
                if l == Some(true) {
                    return Ok(Value::Bool(true));
                }
                let r = truth(&right.eval(row, params, env)?)?;
                // a OR b = NOT (NOT a AND NOT b)
                Ok(bool_value(not3(and3(not3(l), not3(r)))))
            }
            Expr::IsNull { expr, negated } => Ok(Value::Bool(
                expr.eval(row, params, env)?.is_null() != *negated,
            )),
            Expr::IsTruth {
                expr,
                value,
                negated,
            } => {
                let actual = truth(&expr.eval(row, params, env)?)?;
                Ok(Value::Bool((actual == *value) != *negated))
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                let needle = expr.eval(row, params, env)?;
                if needle.is_null() {
                    return Ok(Value::Null);
                }
                // x IN (a, b) is x = a OR x = b: true on any match, else
                // unknown if any comparison was, else false.
                let mut found = Some(false);
                for item in list {
                    match compare(CompareOp::Eq, &needle, &item.eval(row, params, env)?)? {
                        Some(true) => {
                            found = Some(true);
                            break;
                        }
                        Some(false) => {}
                        None => found = None,
                    }
                }
                Ok(bool_value(if *negated { not3(found) } else { found }))
            }
            Expr::Between {
                expr,
                low,
                high,
                negated,
            } => {
                let value = expr.eval(row, params, env)?;
                if value.is_null() {
                    return Ok(Value::Null);
                }
                let above = compare(CompareOp::GtEq, &value, &low.eval(row, params, env)?)?;
                let below = compare(CompareOp::LtEq, &value, &high.eval(row, params, env)?)?;
                let within = and3(above, below);
                Ok(bool_value(if *negated { not3(within) } else { within }))
            }
            Expr::Like {
                expr,
                matcher,
                negated,
                case_insensitive,
            } => {
                let Some(mut text) = expr.eval(row, params, env)?.to_text() else {
                    return Ok(Value::Null);
                };
                if *case_insensitive {
                    text = text.to_lowercase();
                }
                let matched = match matcher {
                    LikeMatcher::Compiled(pattern) => pattern.matches(&text),
                    LikeMatcher::Dynamic { pattern, escape } => {
                        let Some(mut pattern_text) = pattern.eval(row, params, env)?.to_text()
                        else {
                            return Ok(Value::Null);
                        };
                        let escape_char = match escape {
                            None => None,
                            Some(escape) => match escape.eval(row, params, env)?.to_text() {
                                None => return Ok(Value::Null),
                                Some(e) => Some(like::escape_character(&e)?),
                            },
                        };
                        if *case_insensitive {
                            pattern_text = pattern_text.to_lowercase();
                        }
                        LikePattern::compile(&pattern_text, escape_char)?.matches(&text)
                    }
                };
                Ok(Value::Bool(matched != *negated))
            }
            Expr::Case {
                operand,
                branches,
                else_result,
                result_type,
            } => {
                let operand_value = match operand {
                    Some(operand) => Some(operand.eval(row, params, env)?),
                    None => None,
                };
                for (when, then) in branches {
                    let when_value = when.eval(row, params, env)?;
                    let hit = match &operand_value {
                        Some(v) => compare(CompareOp::Eq, v, &when_value)? == Some(true),
                        None => truth(&when_value)? == Some(true),
                    };
                    if hit {
                        return cast::conform(then.eval(row, params, env)?, *result_type, env);
                    }
                }
                match else_result {
                    Some(e) => cast::conform(e.eval(row, params, env)?, *result_type, env),
                    None => Ok(Value::Null),
                }
            }
            Expr::Coalesce { args, result_type } => {
                for arg in args {
                    let value = arg.eval(row, params, env)?;
                    if !value.is_null() {
                        return cast::conform(value, *result_type, env);
                    }
                }
                Ok(Value::Null)
            }
            Expr::NullIf(left, right) => {
                let l = left.eval(row, params, env)?;
                if l.is_null() {
                    return Ok(Value::Null);
                }
                let r = right.eval(row, params, env)?;
                Ok(if compare(CompareOp::Eq, &l, &r)? == Some(true) {
                    Value::Null
                } else {
                    l
                })
            }
            Expr::Cast {
                expr,
                target,
                null_on_error,
            } => {
                let value = expr.eval(row, params, env)?;
                match target.apply(value, env) {
                    Err(_) if *null_on_error => Ok(Value::Null),
                    result => result,
                }
            }
            Expr::Function {
                function,
                args,
                result_type,
            } => {
                let mut values = Vec::with_capacity(args.len());
                for arg in args {
                    let value = arg.eval(row, params, env)?;
                    if value.is_null() {
                        return Ok(Value::Null);
                    }
                    values.push(value);
                }
                cast::conform(function.eval(&values, env)?, *result_type, env)
            }
            Expr::Subquery(slot) => match env.subqueries.get(*slot) {
                Some(SubqueryResult::Value(value)) => Ok(value.clone()),
                _ => Err(missing_subquery(*slot)),
            },
            Expr::InSubquery {
                expr,
                slot,
                negated,
            } => {
                let Some(SubqueryResult::Set(set)) = env.subqueries.get(*slot) else {
                    return Err(missing_subquery(*slot));
                };
                let needle = expr.eval(row, params, env)?;
                let found = set.contains(&needle)?;
                Ok(bool_value(if *negated { not3(found) } else { found }))
            }
        }
    }

    /// Calls `visit` with every row position the expression reads, so a
    /// planner can tell which columns an expression needs.
    pub fn visit_columns(&self, visit: &mut dyn FnMut(usize)) {
        // Iterative: generated expressions can nest deeply.
        let mut pending = vec![self];
        while let Some(e) = pending.pop() {
            if let Expr::Column(index) = e {
                visit(*index);
            }
            let children = e.children();
            pending.extend(children.into_iter().rev());
        }
    }

    /// The direct operands of this node, left to right.
    pub fn children(&self) -> Vec<&Expr> {
        let mut children: Vec<&Expr> = Vec::new();
        match self {
            Expr::Column(_) | Expr::Literal(_) | Expr::Param(_) | Expr::Subquery(_) => {}
            Expr::Negate { expr, .. }
            | Expr::Not(expr)
            | Expr::IsNull { expr, .. }
            | Expr::IsTruth { expr, .. }
            | Expr::Cast { expr, .. }
            | Expr::InSubquery { expr, .. } => children.push(expr),
            Expr::Arithmetic { left, right, .. }
            | Expr::Compare { left, right, .. }
            | Expr::IsDistinctFrom { left, right, .. } => children.extend([&**left, &**right]),
            Expr::Concat(left, right)
            | Expr::And(left, right)
            | Expr::Or(left, right)
            | Expr::NullIf(left, right) => children.extend([&**left, &**right]),
            Expr::InList { expr, list, .. } => {
                children.push(expr);
                children.extend(list.iter());
            }
            Expr::Between {
                expr, low, high, ..
            } => children.extend([&**expr, &**low, &**high]),
            Expr::Like { expr, matcher, .. } => {
                children.push(expr);
                if let LikeMatcher::Dynamic { pattern, escape } = matcher {
                    children.push(pattern);
                    children.extend(escape.as_deref());
                }
            }
            Expr::Case {
                operand,
                branches,
                else_result,
                ..
            } => {
                children.extend(operand.as_deref());
                for (when, then) in branches {
                    children.extend([when, then]);
                }
                children.extend(else_result.as_deref());
            }
            Expr::Coalesce { args, .. } | Expr::Function { args, .. } => {
                children.extend(args.iter())
            }
        }
        children
    }

    /// The direct operands of this node, mutably (planners rewrite column
    /// references, e.g. to the slots of an aggregated row).
    pub fn children_mut(&mut self) -> Vec<&mut Expr> {
        let mut children: Vec<&mut Expr> = Vec::new();
        match self {
            Expr::Column(_) | Expr::Literal(_) | Expr::Param(_) | Expr::Subquery(_) => {}
            Expr::Negate { expr, .. }
            | Expr::Not(expr)
            | Expr::IsNull { expr, .. }
            | Expr::IsTruth { expr, .. }
            | Expr::Cast { expr, .. }
            | Expr::InSubquery { expr, .. } => children.push(expr),
            Expr::Arithmetic { left, right, .. }
            | Expr::Compare { left, right, .. }
            | Expr::IsDistinctFrom { left, right, .. } => {
                children.push(left);
                children.push(right);
            }
            Expr::Concat(left, right)
            | Expr::And(left, right)
            | Expr::Or(left, right)
            | Expr::NullIf(left, right) => {
                children.push(left);
                children.push(right);
            }
            Expr::InList { expr, list, .. } => {
                children.push(expr);
                children.extend(list.iter_mut());
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                children.push(expr);
                children.push(low);
                children.push(high);
            }
            Expr::Like { expr, matcher, .. } => {
                children.push(expr);
                if let LikeMatcher::Dynamic { pattern, escape } = matcher {
                    children.push(pattern);
                    if let Some(escape) = escape {
                        children.push(escape);
                    }
                }
            }
            Expr::Case {
                operand,
                branches,
                else_result,
                ..
            } => {
                if let Some(operand) = operand {
                    children.push(operand);
                }
                for (when, then) in branches {
                    children.push(when);
                    children.push(then);
                }
                if let Some(e) = else_result {
                    children.push(e);
                }
            }
            Expr::Coalesce { args, .. } | Expr::Function { args, .. } => {
                children.extend(args.iter_mut())
            }
        }
        children
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env() -> EvalEnv {
        EvalEnv {
            now: Timestamp::parse("2025-06-15 12:30:00").unwrap(),
            user: "u".into(),
            database: "d".into(),
            subqueries: Default::default(),
            last_insert_id: Value::Null,
        }
    }

    fn lit(v: Value) -> Box<Expr> {
        Box::new(Expr::Literal(v))
    }

    fn b(v: Option<bool>) -> Value {
        bool_value(v)
    }

    fn eval(e: &Expr) -> Result<Value, OdbcError> {
        e.eval(&[], &[], &env())
    }

    const TRUTH_VALUES: [Option<bool>; 3] = [Some(true), Some(false), None];

    #[test]
    fn and_follows_the_three_valued_truth_table() {
        let expected = |a: Option<bool>, c: Option<bool>| match (a, c) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        };
        for l in TRUTH_VALUES {
            for r in TRUTH_VALUES {
                let e = Expr::And(lit(b(l)), lit(b(r)));
                assert_eq!(eval(&e).unwrap(), b(expected(l, r)), "{l:?} AND {r:?}");
            }
        }
        // Spot checks against the textbook table.
        assert_eq!(
            eval(&Expr::And(lit(b(None)), lit(b(Some(false))))).unwrap(),
            Value::Bool(false)
        );
        assert_eq!(
            eval(&Expr::And(lit(b(None)), lit(b(Some(true))))).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn or_follows_the_three_valued_truth_table() {
        let cases = [
            (Some(true), Some(true), Some(true)),
            (Some(true), Some(false), Some(true)),
            (Some(true), None, Some(true)),
            (Some(false), Some(true), Some(true)),
            (Some(false), Some(false), Some(false)),
            (Some(false), None, None),
            (None, Some(true), Some(true)),
            (None, Some(false), None),
            (None, None, None),
        ];
        for (l, r, expected) in cases {
            assert_eq!(
                eval(&Expr::Or(lit(b(l)), lit(b(r)))).unwrap(),
                b(expected),
                "{l:?} OR {r:?}"
            );
        }
    }

    #[test]
    fn not_and_is_truth_tests() {
        for v in TRUTH_VALUES {
            assert_eq!(eval(&Expr::Not(lit(b(v)))).unwrap(), b(v.map(|x| !x)));
            for (value, negated) in [
                (Some(true), false),
                (Some(false), false),
                (None, false),
                (Some(true), true),
                (None, true),
            ] {
                let e = Expr::IsTruth {
                    expr: lit(b(v)),
                    value,
                    negated,
                };
                assert_eq!(
                    eval(&e).unwrap(),
                    Value::Bool((v == value) != negated),
                    "{v:?} IS {negated} {value:?}"
                );
            }
        }
    }

    #[test]
    fn truth_reads_bits_numbers_and_words() {
        assert_eq!(truth(&Value::Null).unwrap(), None);
        assert_eq!(truth(&Value::Int(0)).unwrap(), Some(false));
        assert_eq!(truth(&Value::Int(2)).unwrap(), Some(true));
        assert_eq!(truth(&Value::Text("TRUE".into())).unwrap(), Some(true));
        assert_eq!(
            truth(&Value::Text("nope".into())).unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
        let date = crate::value::Date::new(2025, 1, 1).unwrap();
        assert!(truth(&Value::Date(date)).is_err());
    }

    #[test]
    fn comparisons_propagate_null_and_compare_by_type() {
        let cmp = |op, l: Value, r: Value| {
            eval(&Expr::Compare {
                op,
                left: lit(l),
                right: lit(r),
            })
            .unwrap()
        };
        assert_eq!(cmp(CompareOp::Eq, Value::Null, Value::Null), Value::Null);
        assert_eq!(
            cmp(CompareOp::NotEq, Value::Int(1), Value::Null),
            Value::Null
        );
        assert_eq!(
            cmp(CompareOp::Lt, Value::Int(9), Value::Int(10)),
            Value::Bool(true)
        );
        assert_eq!(
            cmp(
                CompareOp::Lt,
                Value::Text("9".into()),
                Value::Text("10".into())
            ),
            Value::Bool(false)
        );
        assert_eq!(
            cmp(CompareOp::Eq, Value::Int(2), Value::Double(2.0)),
            Value::Bool(true)
        );
        assert_eq!(
            cmp(
                CompareOp::GtEq,
                Value::Text("b".into()),
                Value::Text("a".into())
            ),
            Value::Bool(true)
        );
        assert_eq!(
            cmp(CompareOp::Eq, Value::Bool(true), Value::Text("true".into())),
            Value::Bool(true)
        );
        // Code point order: 'Z' < 'a' < 'é'.
        assert_eq!(
            cmp(
                CompareOp::Lt,
                Value::Text("Z".into()),
                Value::Text("a".into())
            ),
            Value::Bool(true)
        );
        assert_eq!(
            cmp(
                CompareOp::Lt,
                Value::Text("a".into()),
                Value::Text("é".into())
            ),
            Value::Bool(true)
        );
        let e = Expr::Compare {
            op: CompareOp::Eq,
            left: lit(Value::Int(1)),
            right: lit(Value::Text("x".into())),
        };
        assert_eq!(
            eval(&e).unwrap_err().state,
            SqlState::InvalidCharacterValueForCast
        );
    }

    #[test]
    fn integer_arithmetic_is_checked_and_truncates() {
        let op = |op, l: i64, r: i64| {
            eval(&Expr::Arithmetic {
                op,
                domain: NumericDomain::Integer,
                left: lit(Value::Int(l)),
                right: lit(Value::Int(r)),
            })
        };
        assert_eq!(op(ArithmeticOp::Divide, 7, 2).unwrap(), Value::Int(3));
        assert_eq!(op(ArithmeticOp::Divide, -7, 2).unwrap(), Value::Int(-3));
        assert_eq!(op(ArithmeticOp::Modulo, -7, 2).unwrap(), Value::Int(-1));
        assert_eq!(
            op(ArithmeticOp::Modulo, i64::MIN, -1).unwrap(),
            Value::Int(0)
        );
        assert_eq!(
            op(ArithmeticOp::Divide, 1, 0).unwrap_err().state,
            SqlState::DivisionByZero
        );
        assert_eq!(
            op(ArithmeticOp::Modulo, 1, 0).unwrap_err().state,
            SqlState::DivisionByZero
        );
        assert_eq!(
            op(ArithmeticOp::Add, i64::MAX, 1).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            op(ArithmeticOp::Multiply, i64::MAX / 2 + 1, 2)
                .unwrap_err()
                .state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            op(ArithmeticOp::Subtract, i64::MIN, 1).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            op(ArithmeticOp::Divide, i64::MIN, -1).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        let neg = Expr::Negate {
            expr: lit(Value::Int(i64::MIN)),
            domain: NumericDomain::Integer,
        };
        assert_eq!(eval(&neg).unwrap_err().state, SqlState::NumericOutOfRange);
    }

    #[test]
    fn double_arithmetic_reports_overflow_and_zero_division() {
        let op = |op, l: f64, r: f64| {
            eval(&Expr::Arithmetic {
                op,
                domain: NumericDomain::Double,
                left: lit(Value::Double(l)),
                right: lit(Value::Double(r)),
            })
        };
        assert_eq!(
            op(ArithmeticOp::Divide, 7.0, 2.0).unwrap(),
            Value::Double(3.5)
        );
        assert_eq!(
            op(ArithmeticOp::Modulo, 7.5, 2.0).unwrap(),
            Value::Double(1.5)
        );
        assert_eq!(
            op(ArithmeticOp::Divide, 1.0, 0.0).unwrap_err().state,
            SqlState::DivisionByZero
        );
        assert_eq!(
            op(ArithmeticOp::Multiply, 1e308, 10.0).unwrap_err().state,
            SqlState::NumericOutOfRange
        );
        // Text operands are read as numbers.
        let e = Expr::Arithmetic {
            op: ArithmeticOp::Add,
            domain: NumericDomain::Double,
            left: lit(Value::Text(" 1.5".into())),
            right: lit(Value::Int(1)),
        };
        assert_eq!(eval(&e).unwrap(), Value::Double(2.5));
    }

    #[test]
    fn arithmetic_with_null_is_null() {
        let e = Expr::Arithmetic {
            op: ArithmeticOp::Divide,
            domain: NumericDomain::Integer,
            left: lit(Value::Null),
            right: lit(Value::Int(0)),
        };
        assert_eq!(eval(&e).unwrap(), Value::Null);
        let e = Expr::Concat(lit(Value::Text("a".into())), lit(Value::Null));
        assert_eq!(eval(&e).unwrap(), Value::Null);
    }

    #[test]
    fn in_list_three_valued() {
        let list = |needle: Value, items: Vec<Value>, negated| {
            eval(&Expr::InList {
                expr: lit(needle),
                list: items.into_iter().map(Expr::Literal).collect(),
                negated,
            })
            .unwrap()
        };
        assert_eq!(
            list(Value::Int(2), vec![Value::Int(1), Value::Int(2)], false),
            Value::Bool(true)
        );
        assert_eq!(
            list(Value::Int(3), vec![Value::Int(1), Value::Int(2)], false),
            Value::Bool(false)
        );
        assert_eq!(
            list(Value::Int(3), vec![Value::Int(1), Value::Null], false),
            Value::Null
        );
        assert_eq!(
            list(Value::Int(1), vec![Value::Int(1), Value::Null], false),
            Value::Bool(true)
        );
        assert_eq!(
            list(Value::Int(3), vec![Value::Int(1), Value::Null], true),
            Value::Null
        );
        assert_eq!(
            list(Value::Int(3), vec![Value::Int(1), Value::Int(2)], true),
            Value::Bool(true)
        );
        assert_eq!(list(Value::Null, vec![Value::Int(1)], false), Value::Null);
    }

    #[test]
    fn between_three_valued() {
        let between = |v: Value, lo: Value, hi: Value, negated| {
            eval(&Expr::Between {
                expr: lit(v),
                low: lit(lo),
                high: lit(hi),
                negated,
            })
            .unwrap()
        };
        assert_eq!(
            between(Value::Int(2), Value::Int(1), Value::Int(3), false),
            Value::Bool(true)
        );
        assert_eq!(
            between(Value::Int(3), Value::Int(1), Value::Int(3), false),
            Value::Bool(true)
        );
        assert_eq!(
            between(Value::Int(4), Value::Int(1), Value::Int(3), false),
            Value::Bool(false)
        );
        assert_eq!(
            between(Value::Int(4), Value::Int(1), Value::Int(3), true),
            Value::Bool(true)
        );
        // 4 BETWEEN NULL AND 3: 4 >= NULL is unknown, 4 <= 3 is false.
        assert_eq!(
            between(Value::Int(4), Value::Null, Value::Int(3), false),
            Value::Bool(false)
        );
        assert_eq!(
            between(Value::Int(2), Value::Null, Value::Int(3), false),
            Value::Null
        );
        assert_eq!(
            between(Value::Int(2), Value::Null, Value::Int(3), true),
            Value::Null
        );
    }

    #[test]
    fn distinct_from_treats_nulls_as_equal() {
        let d = |l: Value, r: Value| {
            eval(&Expr::IsDistinctFrom {
                left: lit(l),
                right: lit(r),
                negated: false,
            })
            .unwrap()
        };
        assert_eq!(d(Value::Null, Value::Null), Value::Bool(false));
        assert_eq!(d(Value::Null, Value::Int(1)), Value::Bool(true));
        assert_eq!(d(Value::Int(1), Value::Int(1)), Value::Bool(false));
    }

    #[test]
    fn columns_and_params_read_their_slices() {
        let row = [Value::Int(7), Value::Text("x".into())];
        let params = [Value::Double(1.5)];
        assert_eq!(
            Expr::Column(1).eval(&row, &params, &env()).unwrap(),
            Value::Text("x".into())
        );
        assert_eq!(
            Expr::Param(0).eval(&row, &params, &env()).unwrap(),
            Value::Double(1.5)
        );
        assert_eq!(
            Expr::Column(5)
                .eval(&row, &params, &env())
                .unwrap_err()
                .state,
            SqlState::GeneralError
        );
        assert_eq!(
            Expr::Param(1)
                .eval(&row, &params, &env())
                .unwrap_err()
                .state,
            SqlState::WrongParameterCount
        );
    }

    #[test]
    fn visit_columns_finds_every_reference() {
        let e = Expr::And(
            Box::new(Expr::Compare {
                op: CompareOp::Eq,
                left: Box::new(Expr::Column(3)),
                right: lit(Value::Int(1)),
            }),
            Box::new(Expr::InList {
                expr: Box::new(Expr::Column(0)),
                list: vec![Expr::Column(2), Expr::Param(0)],
                negated: false,
            }),
        );
        let mut seen = Vec::new();
        e.visit_columns(&mut |c| seen.push(c));
        assert_eq!(seen, vec![3, 0, 2]);
    }
}
