//! Compiles sqlparser expressions into typed, evaluable `Expr`s.
//!
//! Compilation resolves columns through the caller's `Scope`, fixes the
//! type and nullability of every node (SQLDescribeCol reports them before
//! anything runs), infers the types of parameters from where they appear
//! (`col = ?` gives the parameter the column's type, SQLDescribeParam
//! reports it), converts text literals compared with typed operands once,
//! and rejects what can never work (unknown functions, wrong argument
//! counts, comparing a number with a date) as syntax errors before any API
//! call is made.

use sqlparser::ast::{
    self, BinaryOperator, CastKind, CeilFloorKind, DateTimeField, FunctionArg, FunctionArgExpr,
    FunctionArguments, InTarget, ObjectNamePart, TrimWhereField, UnaryOperator, Value as AstValue,
};

use crate::diag::{OdbcError, SqlState};
use crate::types::DataType;
use crate::value::{Date, Time, Timestamp, Value};

use super::cast::{self, CastTarget, DEFAULT_TEXT_LENGTH};
use super::datetime::IntervalUnit;
use super::expr::{ArithmeticOp, CompareOp, Expr, LikeMatcher, NumericDomain, TypedExpr};
// Re-exported: callers name them with `compile` and `CompileContext`.
pub use super::expr::{ColumnRef, Scope};
use super::functions::{self, ArgKind, ScalarFunction, TrimSide};
use super::like::{self, LikePattern};

/// The signature of the hook that compiles aggregate calls.
pub type AggregateHook<'h> =
    dyn FnMut(&ast::Function, &mut CompileContext) -> Result<TypedExpr, OdbcError> + 'h;

/// How a subquery is used in an expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubqueryUse {
    /// `(SELECT x ...)` as a value: one column, at most one row.
    Scalar,
    /// `[NOT] EXISTS (SELECT ...)`.
    Exists,
    /// `x [NOT] IN (SELECT y ...)`: one column.
    In,
}

/// What the planner reports for a subquery it planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedSubquery {
    /// Where its result will be in `EvalEnv::subqueries`.
    pub slot: usize,
    /// The type and nullability of its one column (Scalar and In).
    pub column: Option<(DataType, bool)>,
}

/// The signature of the hook that plans uncorrelated subqueries; it shares
/// the statement's parameter types.
pub type SubqueryHook<'h> = dyn FnMut(
        &ast::Query,
        SubqueryUse,
        &mut Vec<Option<DataType>>,
    ) -> Result<PlannedSubquery, OdbcError>
    + 'h;

/// What compilation reads and records.
pub struct CompileContext<'a> {
    pub scope: &'a dyn Scope,
    /// Inferred parameter types by 0-based position (e.g. from `col = ?`);
    /// grown as parameters are met, `None` where nothing says.
    pub param_types: &'a mut Vec<Option<DataType>>,
    /// Called for aggregate function calls (COUNT, SUM, AVG, MIN, MAX); None
    /// -> error "aggregate not allowed here" (SqlState::SyntaxError). While
    /// the hook runs it is taken out of the context it receives, so an
    /// aggregate nested in an aggregate's argument is rejected the same way.
    pub aggregate_hook: Option<&'a mut AggregateHook<'a>>,
    /// Called for subqueries (IN, EXISTS, scalar); None -> 0A feature
    /// error (HYC00).
    pub subquery_hook: Option<&'a mut SubqueryHook<'a>>,
}

/// Type of a bare NULL literal (and of expressions made only of NULLs).
pub const NULL_LITERAL_TYPE: DataType = DataType::Integer;

/// Highest `$n` accepted: keeps `$99999999` from growing `param_types`.
const MAX_PARAMETERS: usize = 65_535;

const AGGREGATES: [&str; 5] = ["COUNT", "SUM", "AVG", "MIN", "MAX"];

/// Whether a function name is one of the aggregates routed to the hook.
pub fn is_aggregate_name(name: &str) -> bool {
    AGGREGATES.iter().any(|a| a.eq_ignore_ascii_case(name))
}

fn syntax(message: impl Into<String>) -> OdbcError {
    OdbcError::syntax(format!("Syntax error: {}", message.into()))
}

fn typed(expr: Expr, data_type: DataType, nullable: bool) -> TypedExpr {
    TypedExpr {
        expr,
        data_type,
        nullable,
    }
}

/// The type a literal value is described with.
pub fn literal_type(value: &Value) -> DataType {
    match value {
        Value::Null => NULL_LITERAL_TYPE,
        Value::Bool(_) => DataType::Bit,
        Value::Int(n) if i32::try_from(*n).is_ok() => DataType::Integer,
        Value::Int(_) => DataType::BigInt,
        Value::Double(_) => DataType::Double,
        Value::Text(s) => DataType::WVarchar((s.chars().count() as u32).max(1)),
        Value::Date(_) => DataType::Date,
        Value::Time(_) => DataType::Time,
        Value::Timestamp(_) => DataType::Timestamp,
    }
}

fn literal(value: Value) -> TypedExpr {
    let data_type = literal_type(&value);
    let nullable = value.is_null();
    typed(Expr::Literal(value), data_type, nullable)
}

fn is_null_literal(e: &TypedExpr) -> bool {
    matches!(e.expr, Expr::Literal(Value::Null))
}

fn text_literal(e: &TypedExpr) -> Option<&str> {
    match &e.expr {
        Expr::Literal(Value::Text(s)) => Some(s),
        _ => None,
    }
}

fn is_integer_type(data_type: DataType) -> bool {
    matches!(
        data_type,
        DataType::Bit | DataType::SmallInt | DataType::Integer | DataType::BigInt
    )
}

fn is_datetime(data_type: DataType) -> bool {
    matches!(
        data_type,
        DataType::Date | DataType::Time | DataType::Timestamp
    )
}

/// Comparison families: values of different families cannot be compared,
/// except that text converts to anything.
#[derive(PartialEq)]
enum Family {
    Number,
    Text,
    DateLike,
    Time,
}

fn family(data_type: DataType) -> Family {
    match data_type {
        DataType::Bit
        | DataType::SmallInt
        | DataType::Integer
        | DataType::BigInt
        | DataType::Double => Family::Number,
        DataType::WVarchar(_) | DataType::WLongVarchar => Family::Text,
        DataType::Date | DataType::Timestamp => Family::DateLike,
        DataType::Time => Family::Time,
    }
}

/// The type values of both types are converted to when they meet in one
/// result (CASE branches, COALESCE arguments).
pub fn common_type(a: DataType, b: DataType) -> Result<DataType, OdbcError> {
    use DataType as T;
    if a == b {
        return Ok(a);
    }
    Ok(match (a, b) {
        (T::WLongVarchar, _) | (_, T::WLongVarchar) => T::WLongVarchar,
        // Text meets anything: the other side is shown as text.
        (T::WVarchar(_), _) | (_, T::WVarchar(_)) => T::WVarchar(
            cast::text_length(a)
                .unwrap_or(0)
                .max(cast::text_length(b).unwrap_or(0)),
        ),
        (T::Double, x) | (x, T::Double) if family(x) == Family::Number => T::Double,
        (T::BigInt, x) | (x, T::BigInt) if family(x) == Family::Number => T::BigInt,
        (T::Integer, T::Bit) | (T::Bit, T::Integer) => T::Integer,
        (T::Date, T::Timestamp) | (T::Timestamp, T::Date) => T::Timestamp,
        _ => {
            return Err(syntax(format!(
                "incompatible types {} and {}",
                a.type_name(),
                b.type_name()
            )))
        }
    })
}

impl CompileContext<'_> {
    /// The parameter position of `e` when it is a parameter whose type
    /// nothing has fixed yet.
    fn untyped_param(&self, e: &TypedExpr) -> Option<usize> {
        match e.expr {
            Expr::Param(index) if matches!(self.param_types.get(index), Some(None)) => Some(index),
            _ => None,
        }
    }

    /// Whether `e` carries no type information of its own.
    fn is_untyped(&self, e: &TypedExpr) -> bool {
        is_null_literal(e) || self.untyped_param(e).is_some()
    }

    /// Gives `e` the type `data_type` when it is a parameter nothing has
    /// typed yet (for callers compiling their own constructs, such as an
    /// aggregate's argument).
    pub fn infer_parameter_type(&mut self, e: &mut TypedExpr, data_type: DataType) {
        self.infer(e, data_type);
    }

    /// Gives an untyped parameter `data_type`.
    fn infer(&mut self, e: &mut TypedExpr, data_type: DataType) {
        if let Some(index) = self.untyped_param(e) {
            self.param_types[index] = Some(data_type);
            e.data_type = data_type;
        }
    }

    /// Gives an untyped parameter the type of `like` (text literals give
    /// their parameter room for more than the literal's length).
    fn infer_from(&mut self, e: &mut TypedExpr, like: &TypedExpr) {
        if self.is_untyped(like) {
            return;
        }
        let data_type = match (&like.expr, like.data_type) {
            (Expr::Literal(_), DataType::WVarchar(_)) => DataType::WVarchar(DEFAULT_TEXT_LENGTH),
            (Expr::Literal(_), DataType::Integer) => DataType::BigInt,
            (_, data_type) => data_type,
        };
        self.infer(e, data_type);
    }

    fn placeholder(&mut self, marker: &str) -> Result<TypedExpr, OdbcError> {
        let index = if marker == "?" {
            // Unnumbered markers take the next slot; rewrite_odbc_escapes
            // numbers them in textual order, which is what applications
            // expect, so `?` should rarely get here.
            self.param_types.len()
        } else {
            match marker
                .strip_prefix('$')
                .and_then(|n| n.parse::<usize>().ok())
            {
                Some(n) if (1..=MAX_PARAMETERS).contains(&n) => n - 1,
                _ => return Err(syntax(format!("unsupported parameter marker {marker}"))),
            }
        };
        if self.param_types.len() <= index {
            self.param_types.resize(index + 1, None);
        }
        let data_type = self.param_types[index].unwrap_or(DataType::WVarchar(DEFAULT_TEXT_LENGTH));
        Ok(typed(Expr::Param(index), data_type, true))
    }
}

/// A text literal meeting an operand of a typed (non-text) type becomes a
/// value of that type now, as SQL converts literals.
fn coerce_text_literal(e: &mut TypedExpr, target: DataType) -> Result<(), OdbcError> {
    if target.is_text() {
        return Ok(());
    }
    if let Some(text) = text_literal(e) {
        let value = cast::coerce_literal(text, target)?;
        *e = literal(value);
    }
    Ok(())
}

fn check_comparable(a: &TypedExpr, b: &TypedExpr, ctx: &CompileContext) -> Result<(), OdbcError> {
    if ctx.is_untyped(a) || ctx.is_untyped(b) {
        return Ok(());
    }
    let (fa, fb) = (family(a.data_type), family(b.data_type));
    if fa == fb || fa == Family::Text || fb == Family::Text {
        Ok(())
    } else {
        Err(syntax(format!(
            "cannot compare {} with {}",
            a.data_type.type_name(),
            b.data_type.type_name()
        )))
    }
}

/// Prepares `other` to be compared with `target`: parameter types flow
/// both ways, a text literal in `other` converts to `target`'s type.
fn prepare_comparison(
    target: &mut TypedExpr,
    other: &mut TypedExpr,
    ctx: &mut CompileContext,
) -> Result<(), OdbcError> {
    ctx.infer_from(target, other);
    ctx.infer_from(other, target);
    if !ctx.is_untyped(target) {
        coerce_text_literal(other, target.data_type)?;
    }
    check_comparable(target, other, ctx)
}

/// Both operands of a binary comparison: a text literal on either side
/// converts to the other side's type.
fn prepare_symmetric(
    left: &mut TypedExpr,
    right: &mut TypedExpr,
    ctx: &mut CompileContext,
) -> Result<(), OdbcError> {
    if text_literal(left).is_some() && text_literal(right).is_none() && !ctx.is_untyped(right) {
        prepare_comparison(right, left, ctx)
    } else {
        prepare_comparison(left, right, ctx)
    }
}

fn check_boolean(e: &mut TypedExpr, ctx: &mut CompileContext, what: &str) -> Result<(), OdbcError> {
    ctx.infer(e, DataType::Bit);
    if is_datetime(e.data_type) && !is_null_literal(e) {
        return Err(syntax(format!(
            "{what} needs a boolean operand, not {}",
            e.data_type.type_name()
        )));
    }
    Ok(())
}

/// An arithmetic operand: numbers, or text read as a number.
fn check_numeric(
    e: &mut TypedExpr,
    other: Option<&TypedExpr>,
    ctx: &mut CompileContext,
    what: &str,
) -> Result<(), OdbcError> {
    let inferred = match other {
        Some(o) if !ctx.is_untyped(o) && o.data_type.is_numeric() => {
            if matches!(o.expr, Expr::Literal(_)) && o.data_type == DataType::Integer {
                DataType::BigInt
            } else {
                o.data_type
            }
        }
        _ => DataType::Double,
    };
    ctx.infer(e, inferred);
    if let Some(o) = other {
        if o.data_type.is_numeric() && !ctx.is_untyped(o) {
            coerce_text_literal(e, o.data_type)?;
        }
    }
    if is_datetime(e.data_type) && !is_null_literal(e) {
        return Err(syntax(format!(
            "{what} cannot be applied to {}",
            e.data_type.type_name()
        )));
    }
    Ok(())
}

/// The type of a CASE / COALESCE result and whether any input fixes it.
fn unify(items: &[&TypedExpr], ctx: &CompileContext) -> Result<DataType, OdbcError> {
    let mut result: Option<DataType> = None;
    for item in items {
        if ctx.is_untyped(item) {
            continue;
        }
        result = Some(match result {
            None => item.data_type,
            Some(acc) => common_type(acc, item.data_type)?,
        });
    }
    Ok(result.unwrap_or(NULL_LITERAL_TYPE))
}

fn number_literal(text: &str, negative: bool) -> Result<TypedExpr, OdbcError> {
    let signed = if negative {
        format!("-{text}")
    } else {
        text.to_string()
    };
    let is_exact = text.bytes().all(|b| b.is_ascii_digit());
    if is_exact {
        if let Ok(n) = signed.parse::<i64>() {
            return Ok(literal(Value::Int(n)));
        }
    }
    match signed.parse::<f64>() {
        Ok(d) if d.is_finite() => Ok(literal(Value::Double(d))),
        _ => Err(OdbcError::new(
            SqlState::NumericOutOfRange,
            format!("Numeric value out of range: {text}"),
        )),
    }
}

fn datetime_literal_error(kind: &str, text: &str) -> OdbcError {
    OdbcError::new(
        SqlState::InvalidDatetimeFormat,
        format!("Invalid datetime format: '{text}' is not a valid {kind} literal"),
    )
}

/// `DATE '...'`, `TIME '...'`, `TIMESTAMP '...'` (and `{d ...}` etc. after
/// escape rewriting); other typed strings are casts of the text.
fn typed_string(data_type: &ast::DataType, text: &str) -> Result<TypedExpr, OdbcError> {
    use ast::DataType as T;
    let value = match data_type {
        T::Date => {
            Value::Date(Date::parse(text).ok_or_else(|| datetime_literal_error("DATE", text))?)
        }
        T::Time(..) => {
            Value::Time(Time::parse(text).ok_or_else(|| datetime_literal_error("TIME", text))?)
        }
        T::Timestamp(..) | T::Datetime(_) => Value::Timestamp(
            Timestamp::parse(text).ok_or_else(|| datetime_literal_error("TIMESTAMP", text))?,
        ),
        other => {
            let target = CastTarget::from_ast(other)?;
            // Casting text never reads the clock (only TIME -> TIMESTAMP
            // does), so any fixed environment serves.
            let env = super::expr::EvalEnv {
                now: Timestamp::from_date(Date {
                    year: 1970,
                    month: 1,
                    day: 1,
                }),
                user: String::new(),
                database: String::new(),
                subqueries: Default::default(),
                last_insert_id: Value::Null,
            };
            let source = DataType::WVarchar(DEFAULT_TEXT_LENGTH);
            let value = target.apply(Value::Text(text.to_string()), &env)?;
            return Ok(typed(
                Expr::Literal(value),
                target.result_type(source),
                false,
            ));
        }
    };
    Ok(literal(value))
}

fn string_value(value: &AstValue) -> Option<&str> {
    match value {
        AstValue::SingleQuotedString(s)
        | AstValue::NationalStringLiteral(s)
        | AstValue::EscapedStringLiteral(s)
        | AstValue::UnicodeStringLiteral(s)
        | AstValue::TripleSingleQuotedString(s)
        | AstValue::TripleDoubleQuotedString(s) => Some(s),
        AstValue::DollarQuotedString(d) => Some(&d.value),
        _ => None,
    }
}

fn compile_value(value: &AstValue, ctx: &mut CompileContext) -> Result<TypedExpr, OdbcError> {
    if let Some(text) = string_value(value) {
        return Ok(literal(Value::Text(text.to_string())));
    }
    match value {
        AstValue::Number(text, _) => number_literal(text, false),
        AstValue::Boolean(b) => Ok(literal(Value::Bool(*b))),
        AstValue::Null => Ok(literal(Value::Null)),
        AstValue::Placeholder(marker) => ctx.placeholder(marker),
        // Double quotes delimit identifiers in ODBC SQL.
        AstValue::DoubleQuotedString(name) => resolve(None, name, ctx),
        other => Err(OdbcError::not_implemented(format!("literal {other}"))),
    }
}

fn resolve(
    qualifier: Option<&str>,
    name: &str,
    ctx: &CompileContext,
) -> Result<TypedExpr, OdbcError> {
    let column = ctx.scope.resolve_column(qualifier, name)?;
    Ok(typed(
        Expr::Column(column.index),
        column.data_type,
        column.nullable,
    ))
}

/// How deep compilation may recurse. sqlparser limits parenthesised
/// nesting, but it builds `a + b + c ...` chains of any length as a deep
/// tree; each level costs about a kilobyte of stack, so a bound keeps a
/// generated statement from overflowing an application thread's stack (an
/// abort, not a catchable panic). AND, OR and `||` chains are flattened
/// instead and never come near it.
pub const MAX_EXPRESSION_DEPTH: usize = 200;

thread_local! {
    static DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts one level of `compile` recursion on this thread while alive.
struct DepthGuard;

impl DepthGuard {
    fn enter() -> Result<DepthGuard, OdbcError> {
        DEPTH.with(|depth| {
            if depth.get() >= MAX_EXPRESSION_DEPTH {
                return Err(syntax(format!(
                    "expression nested more than {MAX_EXPRESSION_DEPTH} levels deep"
                )));
            }
            depth.set(depth.get() + 1);
            Ok(DepthGuard)
        })
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|depth| depth.set(depth.get().saturating_sub(1)));
    }
}

/// Compiles one expression.
pub fn compile(ast: &ast::Expr, ctx: &mut CompileContext) -> Result<TypedExpr, OdbcError> {
    let _depth = DepthGuard::enter()?;
    compile_node(ast, ctx)
}

/// The operands of a chain of one associative operator (`a OR b OR c`,
/// however parenthesised), found without recursion.
fn chain_operands<'e>(root: &'e ast::Expr, chain_op: &BinaryOperator) -> Vec<&'e ast::Expr> {
    let mut operands = Vec::new();
    let mut pending = vec![root];
    while let Some(e) = pending.pop() {
        match e {
            ast::Expr::BinaryOp { left, op, right } if op == chain_op => {
                pending.push(right);
                pending.push(left);
            }
            ast::Expr::Nested(inner) if matches!(inner.as_ref(), ast::Expr::BinaryOp { op, .. } if op == chain_op) => {
                pending.push(inner)
            }
            other => operands.push(other),
        }
    }
    operands
}

/// Joins operands (at least one) into a balanced tree, left to right, so
/// evaluation recurses only log2(n) deep.
fn balanced(mut operands: Vec<Expr>, join: fn(Box<Expr>, Box<Expr>) -> Expr) -> Expr {
    if operands.len() <= 1 {
        return operands.pop().unwrap_or(Expr::Literal(Value::Null));
    }
    let right = operands.split_off(operands.len() / 2);
    join(
        Box::new(balanced(operands, join)),
        Box::new(balanced(right, join)),
    )
}

/// `a AND b AND ...`, `a OR b OR ...`, `a || b || ...`.
fn compile_chain(
    root: &ast::Expr,
    op: &BinaryOperator,
    ctx: &mut CompileContext,
) -> Result<TypedExpr, OdbcError> {
    let operands = chain_operands(root, op);
    let mut compiled = Vec::with_capacity(operands.len());
    let mut nullable = false;
    let mut text_length = Some(0u32);
    for operand in operands {
        let mut e = compile(operand, ctx)?;
        match op {
            BinaryOperator::And => check_boolean(&mut e, ctx, "AND")?,
            BinaryOperator::Or => check_boolean(&mut e, ctx, "OR")?,
            _ => {
                ctx.infer(&mut e, DataType::WVarchar(DEFAULT_TEXT_LENGTH));
                text_length = text_length
                    .zip(cast::text_length(e.data_type))
                    .map(|(a, b)| a.saturating_add(b));
            }
        }
        nullable |= e.nullable;
        compiled.push(e.expr);
    }
    Ok(match op {
        BinaryOperator::And => typed(balanced(compiled, Expr::And), DataType::Bit, nullable),
        BinaryOperator::Or => typed(balanced(compiled, Expr::Or), DataType::Bit, nullable),
        _ => {
            let data_type =
                text_length.map_or(DataType::WLongVarchar, |n| DataType::WVarchar(n.max(1)));
            typed(balanced(compiled, Expr::Concat), data_type, nullable)
        }
    })
}

fn compile_node(ast: &ast::Expr, ctx: &mut CompileContext) -> Result<TypedExpr, OdbcError> {
    use ast::Expr as A;
    match ast {
        A::BinaryOp {
            op: op @ (BinaryOperator::And | BinaryOperator::Or | BinaryOperator::StringConcat),
            ..
        } => compile_chain(ast, op, ctx),
        A::Identifier(ident) => resolve(None, &ident.value, ctx),
        A::CompoundIdentifier(parts) => match parts.as_slice() {
            [] => Err(syntax("empty identifier")),
            [name] => resolve(None, &name.value, ctx),
            // schema.table.column: the table (or alias) qualifies.
            [.., table, name] => resolve(Some(&table.value), &name.value, ctx),
        },
        A::Value(value) => compile_value(&value.value, ctx),
        A::TypedString(ts) => match string_value(&ts.value.value) {
            Some(text) => typed_string(&ts.data_type, text),
            None => Err(syntax(format!("invalid typed literal {ast}"))),
        },
        A::Nested(inner) => compile(inner, ctx),
        A::UnaryOp { op, expr } => compile_unary(*op, expr, ctx),
        A::BinaryOp { left, op, right } => compile_binary(left, op, right, ctx),
        A::IsNull(e) | A::IsNotNull(e) => {
            let inner = compile(e, ctx)?;
            let negated = matches!(ast, A::IsNotNull(_));
            Ok(typed(
                Expr::IsNull {
                    expr: Box::new(inner.expr),
                    negated,
                },
                DataType::Bit,
                false,
            ))
        }
        A::IsTrue(e)
        | A::IsNotTrue(e)
        | A::IsFalse(e)
        | A::IsNotFalse(e)
        | A::IsUnknown(e)
        | A::IsNotUnknown(e) => {
            let (value, negated) = match ast {
                A::IsTrue(_) => (Some(true), false),
                A::IsNotTrue(_) => (Some(true), true),
                A::IsFalse(_) => (Some(false), false),
                A::IsNotFalse(_) => (Some(false), true),
                A::IsUnknown(_) => (None, false),
                _ => (None, true),
            };
            let mut inner = compile(e, ctx)?;
            check_boolean(&mut inner, ctx, "IS TRUE/FALSE/UNKNOWN")?;
            Ok(typed(
                Expr::IsTruth {
                    expr: Box::new(inner.expr),
                    value,
                    negated,
                },
                DataType::Bit,
                false,
            ))
        }
        A::IsDistinctFrom(l, r) | A::IsNotDistinctFrom(l, r) => {
            let (mut left, mut right) = (compile(l, ctx)?, compile(r, ctx)?);
            prepare_symmetric(&mut left, &mut right, ctx)?;
            let negated = matches!(ast, A::IsNotDistinctFrom(..));
            Ok(typed(
                Expr::IsDistinctFrom {
                    left: Box::new(left.expr),
                    right: Box::new(right.expr),
                    negated,
                },
                DataType::Bit,
                false,
            ))
        }
        A::In {
            expr,
            target,
            negated,
            ..
        } => match target {
            InTarget::List(items) => compile_in_list(expr, items, *negated, ctx),
            InTarget::Subquery(query) => compile_in_subquery(expr, query, *negated, ctx),
            _ => Err(OdbcError::not_implemented("tables and UNNEST in IN")),
        },
        A::Between {
            expr,
            negated,
            low,
            high,
        } => {
            let mut value = compile(expr, ctx)?;
            let mut low = compile(low, ctx)?;
            let mut high = compile(high, ctx)?;
            prepare_comparison(&mut value, &mut low, ctx)?;
            prepare_comparison(&mut value, &mut high, ctx)?;
            let nullable = value.nullable || low.nullable || high.nullable;
            Ok(typed(
                Expr::Between {
                    expr: Box::new(value.expr),
                    low: Box::new(low.expr),
                    high: Box::new(high.expr),
                    negated: *negated,
                },
                DataType::Bit,
                nullable,
            ))
        }
        A::Like {
            negated,
            any,
            expr,
            pattern,
            escape_char,
        } => compile_like(
            *negated,
            *any,
            false,
            expr,
            pattern,
            escape_char.as_deref(),
            ctx,
        ),
        A::ILike {
            negated,
            any,
            expr,
            pattern,
            escape_char,
        } => compile_like(
            *negated,
            *any,
            true,
            expr,
            pattern,
            escape_char.as_deref(),
            ctx,
        ),
        A::Case {
            operand,
            conditions,
            else_result,
            ..
        } => compile_case(operand.as_deref(), conditions, else_result.as_deref(), ctx),
        A::Cast {
            kind,
            expr,
            data_type,
            format,
        } => {
            if format.is_some() {
                return Err(OdbcError::not_implemented("CAST ... FORMAT"));
            }
            let null_on_error = matches!(kind, CastKind::TryCast | CastKind::SafeCast);
            compile_cast(expr, data_type, null_on_error, ctx)
        }
        A::Convert {
            is_try,
            expr,
            data_type: Some(data_type),
            charset: None,
            styles,
            ..
        } if styles.is_empty() => compile_cast(expr, data_type, *is_try, ctx),
        A::Convert { .. } => Err(OdbcError::not_implemented(format!("{ast}"))),
        A::Extract { field, expr, .. } => {
            let function = match field {
                DateTimeField::Year => ScalarFunction::Year,
                DateTimeField::Month => ScalarFunction::Month,
                DateTimeField::Day => ScalarFunction::DayOfMonth,
                DateTimeField::Hour => ScalarFunction::Hour,
                DateTimeField::Minute => ScalarFunction::Minute,
                DateTimeField::Second => ScalarFunction::Second,
                DateTimeField::Quarter => ScalarFunction::Quarter,
                DateTimeField::Week(None) => ScalarFunction::Week,
                DateTimeField::Dow | DateTimeField::DayOfWeek => ScalarFunction::DayOfWeek,
                DateTimeField::Doy | DateTimeField::DayOfYear => ScalarFunction::DayOfYear,
                other => return Err(OdbcError::not_implemented(format!("EXTRACT({other})"))),
            };
            compile_scalar(function, &[expr.as_ref()], ctx)
        }
        A::Ceil { expr, field } | A::Floor { expr, field } => {
            if !matches!(
                field,
                CeilFloorKind::DateTimeField(DateTimeField::NoDateTime)
            ) {
                return Err(OdbcError::not_implemented(format!("{ast}")));
            }
            let function = if matches!(ast, A::Ceil { .. }) {
                ScalarFunction::Ceiling
            } else {
                ScalarFunction::Floor
            };
            compile_scalar(function, &[expr.as_ref()], ctx)
        }
        A::Position { expr, r#in } => {
            compile_scalar(ScalarFunction::Locate, &[expr.as_ref(), r#in.as_ref()], ctx)
        }
        A::Substring {
            expr,
            substring_from,
            substring_for,
            ..
        } => {
            let Some(from) = substring_from else {
                return Err(syntax("SUBSTRING needs a start position"));
            };
            let mut args = vec![expr.as_ref(), from.as_ref()];
            args.extend(substring_for.as_deref());
            compile_scalar(ScalarFunction::Substring, &args, ctx)
        }
        A::Trim {
            trim_where,
            trim_what,
            expr,
            trim_characters,
        } => {
            let side = match trim_where {
                None | Some(TrimWhereField::Both) => TrimSide::Both,
                Some(TrimWhereField::Leading) => TrimSide::Leading,
                Some(TrimWhereField::Trailing) => TrimSide::Trailing,
            };
            let mut args = vec![expr.as_ref()];
            match (trim_what, trim_characters.as_deref()) {
                (Some(what), None) => args.push(what),
                (None, Some([characters])) => args.push(characters),
                (None, None) => {}
                _ => return Err(syntax("TRIM takes one set of characters to remove")),
            }
            compile_scalar(ScalarFunction::Trim(side), &args, ctx)
        }
        A::Function(function) => compile_function(function, ctx),
        A::Subquery(query) => {
            let planned = plan_subquery(query, SubqueryUse::Scalar, ctx)?;
            let (data_type, _) = planned
                .column
                .ok_or_else(|| syntax("a scalar subquery must return one column"))?;
            // No row is NULL, whatever the column.
            Ok(typed(Expr::Subquery(planned.slot), data_type, true))
        }
        A::Exists { subquery, negated } => {
            let planned = plan_subquery(subquery, SubqueryUse::Exists, ctx)?;
            let exists = Expr::Subquery(planned.slot);
            let expr = if *negated {
                Expr::Not(Box::new(exists))
            } else {
                exists
            };
            Ok(typed(expr, DataType::Bit, false))
        }
        A::AnyOp { .. } | A::AllOp { .. } => Err(OdbcError::not_implemented("ANY and ALL")),
        A::Interval(_) => Err(OdbcError::not_implemented("interval values")),
        A::Wildcard(_) | A::QualifiedWildcard(..) => {
            Err(syntax("'*' is only allowed in a select list or COUNT(*)"))
        }
        other => Err(syntax(format!("unsupported expression {other}"))),
    }
}

fn compile_unary(
    op: UnaryOperator,
    operand: &ast::Expr,
    ctx: &mut CompileContext,
) -> Result<TypedExpr, OdbcError> {
    match op {
        UnaryOperator::Minus => {
            // -9223372036854775808 only fits as a negative literal.
            if let ast::Expr::Value(v) = operand {
                if let AstValue::Number(text, _) = &v.value {
                    return number_literal(text, true);
                }
            }
            let mut inner = compile(operand, ctx)?;
            check_numeric(&mut inner, None, ctx, "unary minus")?;
            let data_type = match inner.data_type {
                DataType::Bit | DataType::SmallInt | DataType::Integer => DataType::Integer,
                DataType::BigInt => DataType::BigInt,
                _ => DataType::Double,
            };
            let domain = if is_integer_type(data_type) {
                NumericDomain::Integer
            } else {
                NumericDomain::Double
            };
            Ok(typed(
                Expr::Negate {
                    expr: Box::new(inner.expr),
                    domain,
                },
                data_type,
                inner.nullable,
            ))
        }
        UnaryOperator::Plus => {
            let mut inner = compile(operand, ctx)?;
            check_numeric(&mut inner, None, ctx, "unary plus")?;
            if inner.data_type.is_numeric() {
                Ok(inner)
            } else {
                let nullable = inner.nullable;
                Ok(typed(
                    Expr::Cast {
                        expr: Box::new(inner.expr),
                        target: CastTarget::Double,
                        null_on_error: false,
                    },
                    DataType::Double,
                    nullable,
                ))
            }
        }
        UnaryOperator::Not => {
            let mut inner = compile(operand, ctx)?;
            check_boolean(&mut inner, ctx, "NOT")?;
            Ok(typed(
                Expr::Not(Box::new(inner.expr)),
                DataType::Bit,
                inner.nullable,
            ))
        }
        other => Err(syntax(format!("unsupported operator {other}"))),
    }
}

fn compile_binary(
    left: &ast::Expr,
    op: &BinaryOperator,
    right: &ast::Expr,
    ctx: &mut CompileContext,
) -> Result<TypedExpr, OdbcError> {
    enum Kind {
        Compare(CompareOp),
        Arithmetic(ArithmeticOp),
    }
    let kind = match op {
        BinaryOperator::Eq => Kind::Compare(CompareOp::Eq),
        BinaryOperator::NotEq => Kind::Compare(CompareOp::NotEq),
        BinaryOperator::Lt => Kind::Compare(CompareOp::Lt),
        BinaryOperator::LtEq => Kind::Compare(CompareOp::LtEq),
        BinaryOperator::Gt => Kind::Compare(CompareOp::Gt),
        BinaryOperator::GtEq => Kind::Compare(CompareOp::GtEq),
        BinaryOperator::Plus => Kind::Arithmetic(ArithmeticOp::Add),
        BinaryOperator::Minus => Kind::Arithmetic(ArithmeticOp::Subtract),
        BinaryOperator::Multiply => Kind::Arithmetic(ArithmeticOp::Multiply),
        BinaryOperator::Divide => Kind::Arithmetic(ArithmeticOp::Divide),
        BinaryOperator::Modulo => Kind::Arithmetic(ArithmeticOp::Modulo),
        other => return Err(syntax(format!("unsupported operator {other}"))),
    };
    let mut l = compile(left, ctx)?;
    let mut r = compile(right, ctx)?;
    let nullable = l.nullable || r.nullable;
    match kind {
        Kind::Compare(cmp) => {
            prepare_symmetric(&mut l, &mut r, ctx)?;
            Ok(typed(
                Expr::Compare {
                    op: cmp,
                    left: Box::new(l.expr),
                    right: Box::new(r.expr),
                },
                DataType::Bit,
                nullable,
            ))
        }
        Kind::Arithmetic(arith) => {
            let what = format!("operator {op}");
            check_numeric(&mut l, Some(&r), ctx, &what)?;
            check_numeric(&mut r, Some(&l), ctx, &what)?;
            // A text literal on the left converts once the right is known.
            if r.data_type.is_numeric() {
                coerce_text_literal(&mut l, r.data_type)?;
            }
            // Exact i64 arithmetic only when both sides are integers.
            let integer = is_integer_type(l.data_type) && is_integer_type(r.data_type);
            let (domain, data_type) = if integer {
                (NumericDomain::Integer, DataType::BigInt)
            } else {
                (NumericDomain::Double, DataType::Double)
            };
            Ok(typed(
                Expr::Arithmetic {
                    op: arith,
                    domain,
                    left: Box::new(l.expr),
                    right: Box::new(r.expr),
                },
                data_type,
                nullable,
            ))
        }
    }
}

fn compile_in_list(
    expr: &ast::Expr,
    items: &[ast::Expr],
    negated: bool,
    ctx: &mut CompileContext,
) -> Result<TypedExpr, OdbcError> {
    let mut value = compile(expr, ctx)?;
    let mut nullable = value.nullable;
    let mut list = Vec::with_capacity(items.len());
    for item in items {
        let mut item = compile(item, ctx)?;
        prepare_comparison(&mut value, &mut item, ctx)?;
        nullable |= item.nullable;
        list.push(item.expr);
    }
    Ok(typed(
        Expr::InList {
            expr: Box::new(value.expr),
            list,
            negated,
        },
        DataType::Bit,
        nullable,
    ))
}

fn plan_subquery(
    query: &ast::Query,
    usage: SubqueryUse,
    ctx: &mut CompileContext,
) -> Result<PlannedSubquery, OdbcError> {
    let Some(hook) = ctx.subquery_hook.take() else {
        return Err(OdbcError::not_implemented("subqueries here"));
    };
    let planned = hook(query, usage, ctx.param_types);
    ctx.subquery_hook = Some(hook);
    planned
}

/// `x [NOT] IN (SELECT y ...)`: `x` is compared with `y`'s type as with
/// `x = y` (parameters take the column's type, text literals convert).
fn compile_in_subquery(
    expr: &ast::Expr,
    query: &ast::Query,
    negated: bool,
    ctx: &mut CompileContext,
) -> Result<TypedExpr, OdbcError> {
    let mut value = compile(expr, ctx)?;
    let planned = plan_subquery(query, SubqueryUse::In, ctx)?;
    let (column_type, column_nullable) = planned
        .column
        .ok_or_else(|| syntax("the subquery of IN must return one column"))?;
    // A stand-in for the subquery's column, to type-check the comparison.
    let mut column = typed(Expr::Column(usize::MAX), column_type, column_nullable);
    prepare_symmetric(&mut value, &mut column, ctx)?;
    Ok(typed(
        Expr::InSubquery {
            expr: Box::new(value.expr),
            slot: planned.slot,
            negated,
        },
        DataType::Bit,
        true,
    ))
}

fn compile_like(
    negated: bool,
    any: bool,
    case_insensitive: bool,
    expr: &ast::Expr,
    pattern: &ast::Expr,
    escape: Option<&ast::Expr>,
    ctx: &mut CompileContext,
) -> Result<TypedExpr, OdbcError> {
    if any {
        return Err(OdbcError::not_implemented("LIKE ANY"));
    }
    let text_type = DataType::WVarchar(DEFAULT_TEXT_LENGTH);
    let mut value = compile(expr, ctx)?;
    ctx.infer(&mut value, text_type);
    let mut pattern = compile(pattern, ctx)?;
    ctx.infer(&mut pattern, text_type);
    let mut escape = escape.map(|e| compile(e, ctx)).transpose()?;
    if let Some(e) = escape.as_mut() {
        ctx.infer(e, DataType::WVarchar(1));
    }
    let nullable =
        value.nullable || pattern.nullable || escape.as_ref().is_some_and(|e| e.nullable);
    let escape_text = match &escape {
        None => Some(None),
        Some(e) => text_literal(e).map(Some),
    };
    let matcher = match (text_literal(&pattern), escape_text) {
        (Some(pattern_text), Some(escape_text)) => {
            let escape_char = escape_text.map(like::escape_character).transpose()?;
            let pattern_text = if case_insensitive {
                pattern_text.to_lowercase()
            } else {
                pattern_text.to_string()
            };
            LikeMatcher::Compiled(LikePattern::compile(&pattern_text, escape_char)?)
        }
        _ => LikeMatcher::Dynamic {
            pattern: Box::new(pattern.expr),
            escape: escape.map(|e| Box::new(e.expr)),
        },
    };
    Ok(typed(
        Expr::Like {
            expr: Box::new(value.expr),
            matcher,
            negated,
            case_insensitive,
        },
        DataType::Bit,
        nullable,
    ))
}

fn compile_case(
    operand: Option<&ast::Expr>,
    conditions: &[ast::CaseWhen],
    else_result: Option<&ast::Expr>,
    ctx: &mut CompileContext,
) -> Result<TypedExpr, OdbcError> {
    let mut operand = operand.map(|o| compile(o, ctx)).transpose()?;
    let mut whens = Vec::with_capacity(conditions.len());
    let mut results = Vec::with_capacity(conditions.len());
    for condition in conditions {
        let mut when = compile(&condition.condition, ctx)?;
        match operand.as_mut() {
            Some(operand) => prepare_comparison(operand, &mut when, ctx)?,
            None => check_boolean(&mut when, ctx, "CASE WHEN")?,
        }
        whens.push(when);
        results.push(compile(&condition.result, ctx)?);
    }
    let mut else_result = else_result.map(|e| compile(e, ctx)).transpose()?;
    let result_type = {
        let mut all: Vec<&TypedExpr> = results.iter().collect();
        all.extend(else_result.as_ref());
        unify(&all, ctx)?
    };
    for result in results.iter_mut().chain(else_result.iter_mut()) {
        ctx.infer(result, result_type);
    }
    let nullable =
        else_result.as_ref().map_or(true, |e| e.nullable) || results.iter().any(|r| r.nullable);
    let branches = whens
        .into_iter()
        .zip(results)
        .map(|(w, r)| (w.expr, r.expr))
        .collect();
    Ok(typed(
        Expr::Case {
            operand: operand.map(|o| Box::new(o.expr)),
            branches,
            else_result: else_result.map(|e| Box::new(e.expr)),
            result_type,
        },
        result_type,
        nullable,
    ))
}

fn compile_cast(
    expr: &ast::Expr,
    data_type: &ast::DataType,
    null_on_error: bool,
    ctx: &mut CompileContext,
) -> Result<TypedExpr, OdbcError> {
    let target = CastTarget::from_ast(data_type)?;
    let mut inner = compile(expr, ctx)?;
    ctx.infer(
        &mut inner,
        target.result_type(DataType::WVarchar(DEFAULT_TEXT_LENGTH)),
    );
    if !is_null_literal(&inner) {
        target.check_source(inner.data_type)?;
    }
    let result_type = target.result_type(inner.data_type);
    let nullable = inner.nullable || null_on_error;
    Ok(typed(
        Expr::Cast {
            expr: Box::new(inner.expr),
            target,
            null_on_error,
        },
        result_type,
        nullable,
    ))
}

/// The plain positional arguments of a call.
fn call_arguments<'f>(
    function: &'f ast::Function,
    name: &str,
) -> Result<Vec<&'f ast::Expr>, OdbcError> {
    if function.filter.is_some()
        || !function.within_group.is_empty()
        || function.null_treatment.is_some()
    {
        return Err(syntax(format!(
            "FILTER, WITHIN GROUP and NULLS clauses are only allowed on aggregates, not {name}"
        )));
    }
    if !matches!(function.parameters, FunctionArguments::None) {
        return Err(syntax(format!("invalid call of {name}")));
    }
    let list = match &function.args {
        FunctionArguments::None => return Ok(Vec::new()),
        FunctionArguments::Subquery(_) => return Err(OdbcError::not_implemented("subqueries")),
        FunctionArguments::List(list) => list,
    };
    if list.duplicate_treatment.is_some() {
        return Err(syntax(format!(
            "DISTINCT is only allowed in aggregate functions, not {name}"
        )));
    }
    if !list.clauses.is_empty() {
        return Err(syntax(format!("invalid arguments to {name}")));
    }
    list.args
        .iter()
        .map(|arg| match arg {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => Ok(e),
            FunctionArg::Unnamed(_) => Err(syntax(format!("'*' is not an argument of {name}"))),
            _ => Err(syntax(format!(
                "named arguments are not supported ({name})"
            ))),
        })
        .collect()
}

fn arity_error(name: &str, min: usize, max: usize, got: usize) -> OdbcError {
    let expected = if min == max {
        format!("{min}")
    } else if max >= 255 {
        format!("at least {min}")
    } else {
        format!("{min} to {max}")
    };
    syntax(format!(
        "wrong number of arguments to function {name}: expected {expected}, got {got}"
    ))
}

fn compile_function(
    function: &ast::Function,
    ctx: &mut CompileContext,
) -> Result<TypedExpr, OdbcError> {
    let name = match function.name.0.as_slice() {
        [ObjectNamePart::Identifier(ident)] => ident.value.to_ascii_uppercase(),
        _ => return Err(syntax(format!("unknown function {}", function.name))),
    };
    if function.over.is_some() {
        return Err(OdbcError::not_implemented(format!(
            "window function {name}"
        )));
    }
    if is_aggregate_name(&name) {
        let Some(hook) = ctx.aggregate_hook.take() else {
            return Err(syntax(format!(
                "aggregate function {name} is not allowed here"
            )));
        };
        let result = hook(function, ctx);
        ctx.aggregate_hook = Some(hook);
        return result;
    }
    let args = call_arguments(function, &name)?;
    match name.as_str() {
        "COALESCE" | "IFNULL" => {
            let (min, max) = if name == "IFNULL" { (2, 2) } else { (1, 255) };
            if args.len() < min || args.len() > max {
                return Err(arity_error(&name, min, max, args.len()));
            }
            let mut compiled = args
                .iter()
                .map(|a| compile(a, ctx))
                .collect::<Result<Vec<_>, _>>()?;
            let result_type = unify(&compiled.iter().collect::<Vec<_>>(), ctx)?;
            for arg in compiled.iter_mut() {
                ctx.infer(arg, result_type);
            }
            let nullable = compiled.iter().all(|a| a.nullable);
            let args = compiled.into_iter().map(|a| a.expr).collect();
            Ok(typed(
                Expr::Coalesce { args, result_type },
                result_type,
                nullable,
            ))
        }
        "NULLIF" => {
            let [a, b] = args.as_slice() else {
                return Err(arity_error(&name, 2, 2, args.len()));
            };
            let (mut a, mut b) = (compile(a, ctx)?, compile(b, ctx)?);
            prepare_comparison(&mut a, &mut b, ctx)?;
            let data_type = a.data_type;
            Ok(typed(
                Expr::NullIf(Box::new(a.expr), Box::new(b.expr)),
                data_type,
                true,
            ))
        }
        "TIMESTAMPADD" | "TIMESTAMPDIFF" => {
            let [unit, rest @ ..] = args.as_slice() else {
                return Err(arity_error(&name, 3, 3, 0));
            };
            if rest.len() != 2 {
                return Err(arity_error(&name, 3, 3, args.len()));
            }
            let unit_name = match unit {
                ast::Expr::Identifier(ident) => Some(ident.value.as_str()),
                ast::Expr::Value(v) => string_value(&v.value),
                _ => None,
            };
            let unit = unit_name.and_then(IntervalUnit::from_name).ok_or_else(|| {
                syntax(format!(
                    "invalid interval {unit} in {name}: expected SQL_TSI_SECOND, SQL_TSI_DAY, ..."
                ))
            })?;
            let function = if name == "TIMESTAMPADD" {
                ScalarFunction::TimestampAdd(unit)
            } else {
                ScalarFunction::TimestampDiff(unit)
            };
            compile_scalar(function, rest, ctx)
        }
        _ => match functions::lookup(&name) {
            Some(scalar) => compile_scalar(scalar, &args, ctx),
            None => Err(syntax(format!("unknown function {name}"))),
        },
    }
}

/// Checks (and types, for parameters) argument `index` of `function`.
fn check_argument(
    function: ScalarFunction,
    index: usize,
    arg: &mut TypedExpr,
    ctx: &mut CompileContext,
) -> Result<(), OdbcError> {
    let kind = function.arg_kind(index);
    let wrong_type = |what: &str, data_type: DataType| {
        syntax(format!(
            "argument {} of {} must be {what}, not {}",
            index + 1,
            function.name(),
            data_type.type_name()
        ))
    };
    match kind {
        ArgKind::Text | ArgKind::Any => ctx.infer(arg, DataType::WVarchar(DEFAULT_TEXT_LENGTH)),
        ArgKind::Integer | ArgKind::Numeric => {
            ctx.infer(
                arg,
                if kind == ArgKind::Integer {
                    DataType::Integer
                } else {
                    DataType::Double
                },
            );
            if is_datetime(arg.data_type) && !is_null_literal(arg) {
                return Err(wrong_type("a number", arg.data_type));
            }
            // A numeric argument written as text converts (or fails) now.
            if let Some(text) = text_literal(arg) {
                let number = cast::to_number(&Value::Text(text.to_string()))?;
                *arg = literal(number);
            }
        }
        ArgKind::DateTime | ArgKind::Date => {
            ctx.infer(arg, DataType::Timestamp);
            let fits = arg.data_type.is_text()
                || is_null_literal(arg)
                || matches!(arg.data_type, DataType::Date | DataType::Timestamp)
                || (kind == ArgKind::DateTime && arg.data_type == DataType::Time);
            if !fits {
                let what = if kind == ArgKind::Date {
                    "a DATE or TIMESTAMP"
                } else {
                    "a date or time"
                };
                return Err(wrong_type(what, arg.data_type));
            }
        }
    }
    Ok(())
}

fn compile_scalar(
    function: ScalarFunction,
    args: &[&ast::Expr],
    ctx: &mut CompileContext,
) -> Result<TypedExpr, OdbcError> {
    let (min, max, _) = function.signature();
    if args.len() < min || args.len() > max {
        return Err(arity_error(function.name(), min, max, args.len()));
    }
    let mut compiled = Vec::with_capacity(args.len());
    for (index, arg) in args.iter().enumerate() {
        let mut arg = compile(arg, ctx)?;
        check_argument(function, index, &mut arg, ctx)?;
        compiled.push(arg);
    }
    // CHAR_LENGTH, OCTET_LENGTH and BIT_LENGTH of non-character data are,
    // per ODBC, the operand's size in bytes (bits).
    let function = match (function, compiled.first()) {
        (ScalarFunction::CharLength | ScalarFunction::OctetLength, Some(arg))
            if !arg.data_type.is_text() =>
        {
            ScalarFunction::TypeLength(i64::from(arg.data_type.octet_length()))
        }
        (ScalarFunction::BitLength, Some(arg)) if !arg.data_type.is_text() => {
            ScalarFunction::TypeLength(8 * i64::from(arg.data_type.octet_length()))
        }
        (f, _) => f,
    };
    let (data_type, nullable) = function.result_type(&compiled);
    let args = compiled.into_iter().map(|a| a.expr).collect();
    Ok(typed(
        Expr::Function {
            function,
            args,
            result_type: data_type,
        },
        data_type,
        nullable,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::escape::rewrite_odbc_escapes;
    use crate::sql::expr::EvalEnv;
    use sqlparser::dialect::GenericDialect;
    use sqlparser::parser::Parser;

    /// deals(id, name, value, add_time, due_date, active, notes, count, start_time)
    struct Deals;

    const COLUMNS: [(&str, DataType, bool); 9] = [
        ("id", DataType::BigInt, false),
        ("name", DataType::WVarchar(255), true),
        ("value", DataType::Double, true),
        ("add_time", DataType::Timestamp, true),
        ("due_date", DataType::Date, true),
        ("active", DataType::Bit, false),
        ("notes", DataType::WLongVarchar, true),
        ("count", DataType::Integer, false),
        ("start_time", DataType::Time, true),
    ];

    impl Scope for Deals {
        fn resolve_column(
            &self,
            qualifier: Option<&str>,
            name: &str,
        ) -> Result<ColumnRef, OdbcError> {
            if let Some(q) = qualifier {
                if !q.eq_ignore_ascii_case("deals") && !q.eq_ignore_ascii_case("d") {
                    return Err(OdbcError::new(
                        SqlState::ColumnNotFound,
                        format!("Column not found: {q}.{name}"),
                    ));
                }
            }
            COLUMNS
                .iter()
                .position(|(n, _, _)| n.eq_ignore_ascii_case(name))
                .map(|index| ColumnRef {
                    index,
                    data_type: COLUMNS[index].1,
                    nullable: COLUMNS[index].2,
                })
                .ok_or_else(|| {
                    OdbcError::new(
                        SqlState::ColumnNotFound,
                        format!("Column not found: {name}"),
                    )
                })
        }
    }

    fn row() -> Vec<Value> {
        vec![
            Value::Int(42),
            Value::Text("Acme".into()),
            Value::Double(1500.5),
            Value::Timestamp(Timestamp::parse("2024-02-29 10:20:30").unwrap()),
            Value::Date(Date::new(2024, 1, 31).unwrap()),
            Value::Bool(true),
            Value::Text("long".into()),
            Value::Int(7),
            Value::Time(Time::new(8, 30, 0).unwrap()),
        ]
    }

    fn null_row() -> Vec<Value> {
        let mut r = row();
        for (i, (_, _, nullable)) in COLUMNS.iter().enumerate() {
            if *nullable {
                r[i] = Value::Null;
            }
        }
        r
    }

    fn env() -> EvalEnv {
        EvalEnv {
            now: Timestamp::parse("2025-06-15 12:30:45").unwrap(),
            user: "ann@example.com".into(),
            database: "Acme Inc".into(),
            subqueries: Default::default(),
            last_insert_id: Value::Null,
        }
    }

    fn parse(sql: &str) -> ast::Expr {
        let rewritten = rewrite_odbc_escapes(sql, true).unwrap_or_else(|e| panic!("{sql}: {e}"));
        Parser::new(&GenericDialect {})
            .try_with_sql(&rewritten.sql)
            .and_then(|mut p| p.parse_expr())
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn compile_with_params(sql: &str) -> Result<(TypedExpr, Vec<Option<DataType>>), OdbcError> {
        let mut param_types = Vec::new();
        let mut ctx = CompileContext {
            scope: &Deals,
            param_types: &mut param_types,
            aggregate_hook: None,
            subquery_hook: None,
        };
        let typed = compile(&parse(sql), &mut ctx)?;
        Ok((typed, param_types))
    }

    fn compiled(sql: &str) -> TypedExpr {
        compile_with_params(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .0
    }

    fn compile_error(sql: &str) -> OdbcError {
        match compile_with_params(sql) {
            Ok((t, _)) => panic!("{sql} compiled to {t:?}"),
            Err(e) => e,
        }
    }

    fn eval_on(sql: &str, row: &[Value], params: &[Value]) -> Result<Value, OdbcError> {
        compiled(sql).expr.eval(row, params, &env())
    }

    fn eval(sql: &str) -> Value {
        eval_on(sql, &row(), &[]).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    fn eval_error(sql: &str) -> OdbcError {
        match eval_on(sql, &row(), &[]) {
            Ok(v) => panic!("{sql} evaluated to {v:?}"),
            Err(e) => e,
        }
    }

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    fn ts(s: &str) -> Value {
        Value::Timestamp(Timestamp::parse(s).unwrap())
    }

    #[test]
    fn literals_have_types() {
        let cases = [
            ("1", DataType::Integer, Value::Int(1)),
            ("3000000000", DataType::BigInt, Value::Int(3_000_000_000)),
            (
                "-9223372036854775808",
                DataType::BigInt,
                Value::Int(i64::MIN),
            ),
            (
                "99999999999999999999",
                DataType::Double,
                Value::Double(1e20),
            ),
            ("1.5", DataType::Double, Value::Double(1.5)),
            ("2e3", DataType::Double, Value::Double(2000.0)),
            ("'abc'", DataType::WVarchar(3), text("abc")),
            ("N'zü'", DataType::WVarchar(2), text("zü")),
            ("''", DataType::WVarchar(1), text("")),
            ("TRUE", DataType::Bit, Value::Bool(true)),
            (
                "DATE '2024-02-29'",
                DataType::Date,
                Value::Date(Date::new(2024, 2, 29).unwrap()),
            ),
            (
                "{d '2024-02-29'}",
                DataType::Date,
                Value::Date(Date::new(2024, 2, 29).unwrap()),
            ),
            (
                "{t '10:20:30'}",
                DataType::Time,
                Value::Time(Time::new(10, 20, 30).unwrap()),
            ),
            (
                "{ts '2024-02-29 10:20:30.5'}",
                DataType::Timestamp,
                ts("2024-02-29 10:20:30.5"),
            ),
        ];
        for (sql, data_type, value) in cases {
            let t = compiled(sql);
            assert_eq!(t.data_type, data_type, "{sql}");
            assert!(!t.nullable, "{sql}");
            assert_eq!(eval(sql), value, "{sql}");
        }
        let null = compiled("NULL");
        assert_eq!((null.data_type, null.nullable), (NULL_LITERAL_TYPE, true));
    }

    #[test]
    fn bad_literals_report_their_states() {
        assert_eq!(
            compile_error("DATE '2023-02-29'").state,
            SqlState::InvalidDatetimeFormat
        );
        assert_eq!(
            compile_error("{d '2024-13-01'}").state,
            SqlState::InvalidDatetimeFormat
        );
        assert_eq!(
            compile_error("TIME '25:00:00'").state,
            SqlState::InvalidDatetimeFormat
        );
        assert_eq!(
            compile_error("{ts 'noon'}").state,
            SqlState::InvalidDatetimeFormat
        );
        assert_eq!(compile_error("1e400").state, SqlState::NumericOutOfRange);
    }

    #[test]
    fn identifiers_resolve_through_the_scope() {
        let t = compiled("name");
        assert_eq!(
            t,
            TypedExpr {
                expr: Expr::Column(1),
                data_type: DataType::WVarchar(255),
                nullable: true
            }
        );
        assert_eq!(compiled("deals.ID").expr, Expr::Column(0));
        assert_eq!(compiled("\"Count\"").expr, Expr::Column(7));
        assert_eq!(compiled("crm.deals.value").expr, Expr::Column(2));
        assert_eq!(compile_error("missing").state, SqlState::ColumnNotFound);
        assert_eq!(compile_error("other.name").state, SqlState::ColumnNotFound);
    }

    #[test]
    fn arithmetic_types_and_semantics() {
        assert_eq!(compiled("count + count").data_type, DataType::BigInt);
        assert_eq!(compiled("id - 1").data_type, DataType::BigInt);
        assert_eq!(compiled("value * 2").data_type, DataType::Double);
        assert_eq!(compiled("count / 2.0").data_type, DataType::Double);
        assert_eq!(compiled("-count").data_type, DataType::Integer);
        assert_eq!(compiled("-value").data_type, DataType::Double);
        assert!(compiled("value + 1").nullable);
        assert!(!compiled("count + 1").nullable);
        assert_eq!(eval("count / 2"), Value::Int(3));
        assert_eq!(eval("-count / 2"), Value::Int(-3));
        assert_eq!(eval("count % 4"), Value::Int(3));
        assert_eq!(eval("count / 2.0"), Value::Double(3.5));
        assert_eq!(eval("(count + 1) * 2"), Value::Int(16));
        assert_eq!(eval("count + '5'"), Value::Int(12));
        assert_eq!(eval("+value"), Value::Double(1500.5));
        assert_eq!(eval_error("count / 0").state, SqlState::DivisionByZero);
        assert_eq!(eval_error("value / 0").state, SqlState::DivisionByZero);
        assert_eq!(
            eval_error("id * 9223372036854775807").state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            eval_error("name + 1").state,
            SqlState::InvalidCharacterValueForCast
        );
        assert_eq!(compile_error("add_time + 1").state, SqlState::SyntaxError);
        assert_eq!(
            compile_error("count + 'x'").state,
            SqlState::InvalidCharacterValueForCast
        );
        assert_eq!(eval_on("value + 1", &null_row(), &[]).unwrap(), Value::Null);
    }

    #[test]
    fn concatenation() {
        assert_eq!(eval("name || '-' || id"), text("Acme-42"));
        assert_eq!(
            compiled("name || '-' || id").data_type,
            DataType::WVarchar(255 + 1 + 20)
        );
        assert_eq!(compiled("name || notes").data_type, DataType::WLongVarchar);
        assert_eq!(
            eval_on("name || 'x'", &null_row(), &[]).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn comparisons_coerce_text_literals_to_the_column_type() {
        for sql in [
            "due_date = '2024-01-31'",
            "due_date = {d '2024-01-31'}",
            "'2024-01-31' = due_date",
            "add_time > '2024-02-29'",
            "add_time = '2024-02-29T10:20:30Z'",
            "id = '42'",
            "'42.0' = id",
            "count < '10'",
            "active = 'true'",
            "active = 1",
            "name = 'Acme'",
            "name < 'B'",
            "due_date < add_time",
            "start_time < '09:00'",
            "value > 1000",
            "count <> 8",
            "count != 8",
        ] {
            assert_eq!(eval(sql), Value::Bool(true), "{sql}");
        }
        // Text compares by code point, so '10' < '9'.
        assert_eq!(eval("'10' < '9'"), Value::Bool(true));
        assert_eq!(eval("10 < 9"), Value::Bool(false));
        assert_eq!(
            compile_error("id = 'abc'").state,
            SqlState::InvalidCharacterValueForCast
        );
        assert_eq!(
            compile_error("due_date = 'soon'").state,
            SqlState::InvalidCharacterValueForCast
        );
        assert_eq!(compile_error("id = due_date").state, SqlState::SyntaxError);
        assert_eq!(
            compile_error("start_time = due_date").state,
            SqlState::SyntaxError
        );
        assert_eq!(eval_on("value = 1", &null_row(), &[]).unwrap(), Value::Null);
        assert!(compiled("value = 1").nullable);
        assert!(!compiled("id = 1").nullable);
    }

    #[test]
    fn three_valued_logic_in_sql() {
        assert_eq!(eval("NULL AND FALSE"), Value::Bool(false));
        assert_eq!(eval("NULL AND TRUE"), Value::Null);
        assert_eq!(eval("NULL OR TRUE"), Value::Bool(true));
        assert_eq!(eval("NULL OR FALSE"), Value::Null);
        assert_eq!(eval("NOT NULL"), Value::Null);
        assert_eq!(eval("NOT (1 = 2)"), Value::Bool(true));
        assert_eq!(eval("active AND count = 7"), Value::Bool(true));
        assert_eq!(
            eval_on("value > 0 OR name = 'x'", &null_row(), &[]).unwrap(),
            Value::Null
        );
        assert_eq!(
            eval_on("value > 0 AND 1 = 0", &null_row(), &[]).unwrap(),
            Value::Bool(false)
        );
        assert_eq!(
            eval_on("value IS NULL", &null_row(), &[]).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(eval("value IS NOT NULL"), Value::Bool(true));
        assert_eq!(
            eval_on("(value > 0) IS UNKNOWN", &null_row(), &[]).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            eval_on("(value > 0) IS NOT TRUE", &null_row(), &[]).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            eval_on("(value > 0) IS FALSE", &null_row(), &[]).unwrap(),
            Value::Bool(false)
        );
        assert_eq!(eval("active IS TRUE"), Value::Bool(true));
        assert_eq!(
            eval_on("value IS NOT DISTINCT FROM NULL", &null_row(), &[]).unwrap(),
            Value::Bool(true)
        );
        let is_null = compiled("value IS NULL");
        assert_eq!(
            (is_null.data_type, is_null.nullable),
            (DataType::Bit, false)
        );
        assert_eq!(
            compile_error("due_date AND active").state,
            SqlState::SyntaxError
        );
        assert_eq!(compile_error("NOT add_time").state, SqlState::SyntaxError);
    }

    #[test]
    fn in_and_between() {
        assert_eq!(eval("id IN (1, 42)"), Value::Bool(true));
        assert_eq!(eval("id IN ('41', '42')"), Value::Bool(true));
        assert_eq!(eval("id NOT IN (1, 2)"), Value::Bool(true));
        assert_eq!(eval("id NOT IN (1, NULL)"), Value::Null);
        assert_eq!(eval("id IN (42, NULL)"), Value::Bool(true));
        assert_eq!(eval("value BETWEEN 1000 AND 2000"), Value::Bool(true));
        assert_eq!(eval("value NOT BETWEEN 1000 AND 2000"), Value::Bool(false));
        assert_eq!(
            eval("due_date BETWEEN '2024-01-01' AND '2024-12-31'"),
            Value::Bool(true)
        );
        assert_eq!(
            eval("add_time BETWEEN {d '2024-02-29'} AND {d '2024-03-01'}"),
            Value::Bool(true)
        );
        assert_eq!(
            compile_error("id IN (1, 'x')").state,
            SqlState::InvalidCharacterValueForCast
        );
        assert_eq!(
            compile_error("id IN (due_date)").state,
            SqlState::SyntaxError
        );
        assert_eq!(
            compile_error("id IN (SELECT 1)").state,
            SqlState::OptionalFeatureNotImplemented
        );
    }

    #[test]
    fn like_in_sql() {
        assert_eq!(eval("name LIKE 'A%'"), Value::Bool(true));
        assert_eq!(eval("name LIKE 'a%'"), Value::Bool(false));
        assert_eq!(eval("name ILIKE 'a%'"), Value::Bool(true));
        assert_eq!(eval("name NOT LIKE '_cme'"), Value::Bool(false));
        assert_eq!(eval("name LIKE 'A!%' ESCAPE '!'"), Value::Bool(false));
        assert_eq!(eval("'A%' LIKE 'A!%' {escape '!'}"), Value::Bool(true));
        assert_eq!(eval("id LIKE '4%'"), Value::Bool(true));
        assert_eq!(
            eval_on("name LIKE 'A%'", &null_row(), &[]).unwrap(),
            Value::Null
        );
        assert_eq!(eval("name LIKE NULL"), Value::Null);
        assert_eq!(
            compile_error("name LIKE 'x!' ESCAPE '!'").state,
            SqlState::InvalidEscapeSequence
        );
        assert_eq!(
            compile_error("name LIKE 'x' ESCAPE '!!'").state,
            SqlState::InvalidEscapeCharacter
        );
        assert!(matches!(
            compiled("name LIKE 'A%'").expr,
            Expr::Like {
                matcher: LikeMatcher::Compiled(_),
                ..
            }
        ));
        let (t, params) = compile_with_params("name LIKE ? ESCAPE ?").unwrap();
        assert_eq!(
            params,
            vec![
                Some(DataType::WVarchar(DEFAULT_TEXT_LENGTH)),
                Some(DataType::WVarchar(1))
            ]
        );
        assert_eq!(
            t.expr
                .eval(&row(), &[text("A$%"), text("$")], &env())
                .unwrap(),
            Value::Bool(false)
        );
        assert_eq!(
            t.expr
                .eval(&row(), &[text("A%"), text("$")], &env())
                .unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            t.expr
                .eval(&row(), &[text("A%"), text("$$")], &env())
                .unwrap_err()
                .state,
            SqlState::InvalidEscapeCharacter
        );
    }

    #[test]
    fn case_expressions() {
        assert_eq!(
            eval("CASE count WHEN 6 THEN 'six' WHEN 7 THEN 'seven' END"),
            text("seven")
        );
        assert_eq!(eval("CASE count WHEN 1 THEN 'one' END"), Value::Null);
        assert_eq!(
            eval("CASE WHEN value > 1000 THEN 'big' ELSE 'small' END"),
            text("big")
        );
        assert_eq!(eval("CASE WHEN NULL THEN 1 ELSE 2 END"), Value::Int(2));
        assert_eq!(eval("CASE id WHEN '42' THEN 1 ELSE 0 END"), Value::Int(1));
        let t = compiled("CASE WHEN active THEN 1 ELSE 2.5 END");
        assert_eq!((t.data_type, t.nullable), (DataType::Double, false));
        assert_eq!(
            eval("CASE WHEN active THEN 1 ELSE 2.5 END"),
            Value::Double(1.0)
        );
        let t = compiled("CASE count WHEN 7 THEN 'seven' END");
        assert_eq!((t.data_type, t.nullable), (DataType::WVarchar(5), true));
        let t = compiled("CASE WHEN active THEN id ELSE 'none' END");
        assert_eq!(t.data_type, DataType::WVarchar(20));
        assert_eq!(eval("CASE WHEN active THEN id ELSE 'none' END"), text("42"));
        let t = compiled("CASE WHEN active THEN due_date ELSE add_time END");
        assert_eq!(t.data_type, DataType::Timestamp);
        assert_eq!(
            eval("CASE WHEN active THEN due_date ELSE add_time END"),
            ts("2024-01-31 00:00:00")
        );
        assert_eq!(
            compiled("CASE WHEN active THEN NULL ELSE count END").data_type,
            DataType::Integer
        );
        assert_eq!(
            compile_error("CASE WHEN active THEN due_date ELSE 1 END").state,
            SqlState::SyntaxError
        );
        assert_eq!(
            compile_error("CASE WHEN due_date THEN 1 END").state,
            SqlState::SyntaxError
        );
    }

    #[test]
    fn coalesce_ifnull_nullif() {
        assert_eq!(
            eval_on("COALESCE(value, 0)", &null_row(), &[]).unwrap(),
            Value::Double(0.0)
        );
        assert_eq!(eval("COALESCE(NULL, name, 'x')"), text("Acme"));
        let t = compiled("COALESCE(name, 'none')");
        assert_eq!((t.data_type, t.nullable), (DataType::WVarchar(255), false));
        assert!(compiled("COALESCE(name, notes)").nullable);
        assert_eq!(
            eval_on("{fn IFNULL(name, 'none')}", &null_row(), &[]).unwrap(),
            text("none")
        );
        assert_eq!(compiled("IFNULL(value, 0)").data_type, DataType::Double);
        assert_eq!(eval("NULLIF(count, 7)"), Value::Null);
        assert_eq!(eval("NULLIF(count, 8)"), Value::Int(7));
        let t = compiled("NULLIF(count, 8)");
        assert_eq!((t.data_type, t.nullable), (DataType::Integer, true));
        // Later arguments are not evaluated once a value is found.
        assert_eq!(eval("COALESCE(count, 1 / 0)"), Value::Int(7));
        for sql in ["COALESCE()", "IFNULL(name)", "NULLIF(1, 2, 3)"] {
            let e = compile_error(sql);
            assert_eq!(e.state, SqlState::SyntaxError, "{sql}");
            assert!(
                e.message.contains(&sql[..sql.find('(').unwrap()]),
                "{}",
                e.message
            );
        }
    }

    #[test]
    fn casts_in_sql() {
        assert_eq!(eval("CAST('12' AS INTEGER)"), Value::Int(12));
        assert_eq!(eval("CAST(value AS INTEGER)"), Value::Int(1500));
        assert_eq!(eval("CAST(value AS DECIMAL(10,0))"), Value::Double(1501.0));
        assert_eq!(eval("CAST(count AS VARCHAR(10))"), text("7"));
        assert_eq!(
            eval("CAST(due_date AS TIMESTAMP)"),
            ts("2024-01-31 00:00:00")
        );
        assert_eq!(
            eval("CAST(add_time AS DATE)"),
            Value::Date(Date::new(2024, 2, 29).unwrap())
        );
        assert_eq!(eval("{fn CONVERT(count, SQL_VARCHAR)}"), text("7"));
        assert_eq!(
            compiled("{fn CONVERT(count, SQL_VARCHAR)}").data_type,
            DataType::WVarchar(11)
        );
        assert_eq!(
            eval("{fn CONVERT('2024-01-31', SQL_DATE)}"),
            Value::Date(Date::new(2024, 1, 31).unwrap())
        );
        assert_eq!(eval("CONVERT(value, INTEGER)"), Value::Int(1500));
        assert_eq!(eval("CAST(NULL AS DATE)"), Value::Null);
        assert_eq!(compiled("CAST(NULL AS DATE)").data_type, DataType::Date);
        assert_eq!(eval("TRY_CAST(name AS INTEGER)"), Value::Null);
        assert!(compiled("TRY_CAST(count AS INTEGER)").nullable);
        assert_eq!(
            eval_error("CAST(name AS INTEGER)").state,
            SqlState::InvalidCharacterValueForCast
        );
        assert_eq!(
            eval_error("CAST(id * 100000000 AS INTEGER)").state,
            SqlState::NumericOutOfRange
        );
        assert_eq!(
            compile_error("CAST(due_date AS INTEGER)").state,
            SqlState::SyntaxError
        );
        assert_eq!(
            compile_error("CAST(count AS BLOB)").state,
            SqlState::SyntaxError
        );
    }

    #[test]
    fn function_syntax_forms() {
        assert_eq!(eval("{fn UCASE(name)}"), text("ACME"));
        assert_eq!(eval("lower(name)"), text("acme"));
        assert_eq!(eval("SUBSTRING(name FROM 2 FOR 2)"), text("cm"));
        assert_eq!(eval("SUBSTRING(name, 2)"), text("cme"));
        assert_eq!(eval("{fn SUBSTRING(name, 1, 1)}"), text("A"));
        assert_eq!(eval("POSITION('c' IN name)"), Value::Int(2));
        assert_eq!(eval("{fn LOCATE('e', name)}"), Value::Int(4));
        assert_eq!(eval("TRIM(LEADING 'A' FROM name)"), text("cme"));
        assert_eq!(eval("TRIM('  x  ')"), text("x"));
        assert_eq!(eval("TRIM(BOTH 'x' FROM 'xxAxx')"), text("A"));
        assert_eq!(eval("EXTRACT(YEAR FROM add_time)"), Value::Int(2024));
        assert_eq!(eval("EXTRACT(DAY FROM due_date)"), Value::Int(31));
        assert_eq!(eval("EXTRACT(HOUR FROM start_time)"), Value::Int(8));
        assert_eq!(eval("CEIL(value)"), Value::Double(1501.0));
        assert_eq!(eval("FLOOR(value)"), Value::Double(1500.0));
        assert_eq!(eval("{fn CEILING(count)}"), Value::Int(7));
        assert_eq!(eval("{fn CURDATE()}"), Value::Date(env().now.date));
        assert_eq!(eval("CURRENT_DATE"), Value::Date(env().now.date));
        assert_eq!(eval("CURRENT_TIMESTAMP"), Value::Timestamp(env().now));
        assert_eq!(eval("{fn NOW()}"), Value::Timestamp(env().now));
        assert_eq!(eval("{fn CURTIME()}"), Value::Time(env().now.time));
        assert_eq!(eval("{fn USER()}"), text("ann@example.com"));
        assert_eq!(eval("USER"), text("ann@example.com"));
        assert_eq!(eval("{fn DATABASE()}"), text("Acme Inc"));
        assert_eq!(eval("{fn LENGTH('ab  ')}"), Value::Int(2));
        assert_eq!(eval("CHAR_LENGTH('ab  ')"), Value::Int(4));
        assert_eq!(eval("CHAR_LENGTH(id)"), Value::Int(8));
        assert_eq!(eval("OCTET_LENGTH(count)"), Value::Int(4));
        assert_eq!(eval("OCTET_LENGTH('zü')"), Value::Int(3));
        assert_eq!(eval("{fn MOD(count, 4)}"), Value::Int(3));
        assert_eq!(eval("{fn ROUND(value, -2)}"), Value::Double(1500.0));
        assert_eq!(eval("{fn ROUND(count, -1)}"), Value::Int(10));
        assert_eq!(eval("{fn LEFT(name, '2')}"), text("Ac"));
        assert_eq!(
            eval("{fn CONCAT({fn CONCAT(name, ' ')}, count)}"),
            text("Acme 7")
        );
        assert_eq!(eval("{fn DAYOFWEEK({d '2025-06-15'})}"), Value::Int(1));
        assert_eq!(eval("{fn DAYNAME(due_date)}"), text("Wednesday"));
        assert_eq!(eval("{fn MONTHNAME(add_time)}"), text("February"));
        assert_eq!(eval("{fn WEEK(due_date)}"), Value::Int(5));
        assert_eq!(eval("{fn QUARTER(due_date)}"), Value::Int(1));
        assert_eq!(eval("{fn HOUR(add_time)}"), Value::Int(10));
    }

    #[test]
    fn timestampadd_and_diff_in_sql() {
        assert_eq!(
            eval("{fn TIMESTAMPADD(SQL_TSI_MONTH, 1, due_date)}"),
            ts("2024-02-29 00:00:00")
        );
        assert_eq!(
            eval("{fn TIMESTAMPADD(SQL_TSI_MONTH, 13, due_date)}"),
            ts("2025-02-28 00:00:00")
        );
        assert_eq!(
            eval("{fn TIMESTAMPADD(SQL_TSI_DAY, 1, add_time)}"),
            ts("2024-03-01 10:20:30")
        );
        assert_eq!(
            eval("{fn TIMESTAMPADD(SQL_TSI_YEAR, -1, add_time)}"),
            ts("2023-02-28 10:20:30")
        );
        assert_eq!(
            eval("TIMESTAMPADD(HOUR, 16, start_time)"),
            ts("2025-06-16 00:30:00")
        );
        assert_eq!(
            eval("TIMESTAMPADD('minute', count, {ts '2024-12-31 23:55:00'})"),
            ts("2025-01-01 00:02:00")
        );
        assert_eq!(
            eval("{fn TIMESTAMPDIFF(SQL_TSI_DAY, due_date, add_time)}"),
            Value::Int(29)
        );
        assert_eq!(
            eval("{fn TIMESTAMPDIFF(SQL_TSI_MONTH, due_date, add_time)}"),
            Value::Int(1)
        );
        assert_eq!(
            eval("TIMESTAMPDIFF(YEAR, {d '2020-02-29'}, {d '2021-02-28'})"),
            Value::Int(1)
        );
        assert_eq!(
            eval("TIMESTAMPDIFF(SQL_TSI_HOUR, add_time, due_date)"),
            Value::Int(-706)
        );
        let t = compiled("TIMESTAMPADD(SQL_TSI_DAY, 1, due_date)");
        assert_eq!((t.data_type, t.nullable), (DataType::Timestamp, true));
        assert_eq!(
            compiled("TIMESTAMPDIFF(SQL_TSI_DAY, due_date, add_time)").data_type,
            DataType::BigInt
        );
        assert_eq!(
            compile_error("TIMESTAMPADD(SQL_TSI_EON, 1, add_time)").state,
            SqlState::SyntaxError
        );
        assert!(compile_error("TIMESTAMPADD(SQL_TSI_DAY, 1)")
            .message
            .contains("TIMESTAMPADD"));
        assert_eq!(
            compile_error("TIMESTAMPADD(SQL_TSI_DAY, add_time, add_time)").state,
            SqlState::SyntaxError
        );
        assert_eq!(
            eval_error("TIMESTAMPADD(SQL_TSI_YEAR, 8000, add_time)").state,
            SqlState::DatetimeFieldOverflow
        );
    }

    #[test]
    fn function_errors_name_the_function() {
        let e = compile_error("{fn FROBNICATE(name)}");
        assert_eq!(e.state, SqlState::SyntaxError);
        assert!(e.message.contains("FROBNICATE"), "{}", e.message);
        let e = compile_error("UCASE(name, name)");
        assert_eq!(e.state, SqlState::SyntaxError);
        assert!(
            e.message.contains("UCASE") && e.message.contains("expected 1, got 2"),
            "{}",
            e.message
        );
        let e = compile_error("{fn PI(1)}");
        assert!(e.message.contains("PI"), "{}", e.message);
        let e = compile_error("LOCATE('a')");
        assert!(e.message.contains("2 to 3"), "{}", e.message);
        assert_eq!(
            compile_error("YEAR(start_time)").state,
            SqlState::SyntaxError
        );
        assert_eq!(
            compile_error("LEFT(name, due_date)").state,
            SqlState::SyntaxError
        );
        assert_eq!(compile_error("ABS(add_time)").state, SqlState::SyntaxError);
        assert_eq!(
            compile_error("UCASE(DISTINCT name)").state,
            SqlState::SyntaxError
        );
        assert_eq!(compile_error("my.func(1)").state, SqlState::SyntaxError);
        assert_eq!(
            compile_error("ROW_NUMBER() OVER ()").state,
            SqlState::OptionalFeatureNotImplemented
        );
        assert_eq!(
            compile_error("ABS('x')").state,
            SqlState::InvalidCharacterValueForCast
        );
    }

    #[test]
    fn every_function_returns_null_for_a_null_argument() {
        let calls = [
            "ASCII(NULL)",
            "CHAR(NULL)",
            "CHAR_LENGTH(NULL)",
            "CHARACTER_LENGTH(name)",
            "CONCAT(name, NULL)",
            "INSERT(name, NULL, 1, 'x')",
            "LCASE(NULL)",
            "LOWER(name)",
            "LEFT(name, NULL)",
            "LENGTH(name)",
            "LOCATE('a', NULL)",
            "LOCATE('a', name, NULL)",
            "LTRIM(name)",
            "OCTET_LENGTH(name)",
            "POSITION(NULL IN name)",
            "REPEAT(name, 2)",
            "REPLACE(name, NULL, 'x')",
            "RIGHT(name, 1)",
            "RTRIM(name)",
            "SPACE(NULL)",
            "SUBSTRING(name, 1, 2)",
            "SUBSTRING(name FROM NULL)",
            "TRIM(name)",
            "TRIM(LEADING NULL FROM 'x')",
            "UCASE(name)",
            "UPPER(NULL)",
            "ABS(value)",
            "ACOS(NULL)",
            "ASIN(NULL)",
            "ATAN(value)",
            "ATAN2(NULL, 1)",
            "CEILING(value)",
            "CEIL(value)",
            "COS(value)",
            "COT(NULL)",
            "DEGREES(value)",
            "EXP(value)",
            "FLOOR(value)",
            "LOG(value)",
            "LOG10(value)",
            "MOD(NULL, 2)",
            "MOD(count, NULL)",
            "POWER(2, NULL)",
            "RADIANS(value)",
            "RAND(NULL)",
            "ROUND(value, 1)",
            "ROUND(1.5, NULL)",
            "SIGN(value)",
            "SIN(value)",
            "SQRT(value)",
            "TAN(value)",
            "TRUNCATE(value, 1)",
            "DAYNAME(due_date)",
            "DAYOFMONTH(due_date)",
            "DAYOFWEEK(add_time)",
            "DAYOFYEAR(add_time)",
            "HOUR(start_time)",
            "MINUTE(add_time)",
            "MONTH(due_date)",
            "MONTHNAME(NULL)",
            "QUARTER(add_time)",
            "SECOND(start_time)",
            "WEEK(due_date)",
            "YEAR(add_time)",
            "EXTRACT(YEAR FROM add_time)",
            "TIMESTAMPADD(SQL_TSI_DAY, NULL, add_time)",
            "TIMESTAMPADD(SQL_TSI_DAY, 1, add_time)",
            "TIMESTAMPDIFF(SQL_TSI_DAY, NULL, add_time)",
            "TIMESTAMPDIFF(SQL_TSI_DAY, due_date, NULL)",
            "COALESCE(NULL, value)",
            "IFNULL(name, NULL)",
            "NULLIF(value, 1)",
            "CAST(value AS INTEGER)",
            "{fn CONVERT(name, SQL_INTEGER)}",
            "name || 'x'",
            "-value",
            "value + 1",
            "NOT (value > 1)",
        ];
        for sql in calls {
            let t = compiled(sql);
            assert!(t.nullable, "{sql} must be described as nullable");
            assert_eq!(
                t.expr.eval(&null_row(), &[], &env()).unwrap(),
                Value::Null,
                "{sql}"
            );
        }
    }

    #[test]
    fn result_types_are_inferred_before_execution() {
        let cases: &[(&str, DataType, bool)] = &[
            ("UCASE(name)", DataType::WVarchar(255), true),
            ("UCASE(notes)", DataType::WLongVarchar, true),
            ("LEFT(name, 3)", DataType::WVarchar(255), true),
            ("CONCAT(name, 'abc')", DataType::WVarchar(258), true),
            ("CONCAT('ab', 'c')", DataType::WVarchar(3), false),
            ("LENGTH(name)", DataType::Integer, true),
            ("LOCATE('a', 'abc')", DataType::Integer, false),
            ("ASCII('a')", DataType::Integer, true),
            ("ABS(count)", DataType::Integer, false),
            ("ABS(id)", DataType::BigInt, false),
            ("ABS(value)", DataType::Double, true),
            ("ROUND(count, 1)", DataType::Integer, false),
            ("SQRT(count)", DataType::Double, false),
            ("MOD(id, 3)", DataType::BigInt, false),
            ("SIGN(value)", DataType::Integer, true),
            ("PI()", DataType::Double, false),
            ("RAND()", DataType::Double, false),
            ("NOW()", DataType::Timestamp, false),
            ("CURRENT_DATE", DataType::Date, false),
            ("CURTIME()", DataType::Time, false),
            ("YEAR(add_time)", DataType::Integer, true),
            ("DAYNAME(due_date)", DataType::WVarchar(9), true),
            ("USER()", DataType::WVarchar(128), false),
            ("SPACE(5)", DataType::WVarchar(5), false),
            ("REPEAT('ab', 3)", DataType::WVarchar(6), false),
            ("count = 1", DataType::Bit, false),
            ("id + value", DataType::Double, true),
            ("id / count", DataType::BigInt, false),
            ("CAST(value AS VARCHAR(12))", DataType::WVarchar(12), true),
            ("CAST(count AS CHAR(3))", DataType::WVarchar(3), false),
        ];
        for (sql, data_type, nullable) in cases {
            let t = compiled(sql);
            assert_eq!((t.data_type, t.nullable), (*data_type, *nullable), "{sql}");
            // The value produced matches the declared type.
            let value = t.expr.eval(&row(), &[], &env()).unwrap();
            let matches = cast::is_carried_as(&value, t.data_type);
            assert!(matches, "{sql}: {value:?} is not a {:?}", t.data_type);
        }
    }

    #[test]
    fn parameter_types_are_inferred_from_context() {
        let cases: &[(&str, Vec<Option<DataType>>)] = &[
            ("id = ?", vec![Some(DataType::BigInt)]),
            ("? = name", vec![Some(DataType::WVarchar(255))]),
            (
                "? = 'abc'",
                vec![Some(DataType::WVarchar(DEFAULT_TEXT_LENGTH))],
            ),
            ("? + 1", vec![Some(DataType::BigInt)]),
            ("value * ?", vec![Some(DataType::Double)]),
            (
                "? + ?",
                vec![Some(DataType::Double), Some(DataType::Double)],
            ),
            (
                "LEFT(?, ?)",
                vec![
                    Some(DataType::WVarchar(DEFAULT_TEXT_LENGTH)),
                    Some(DataType::Integer),
                ],
            ),
            ("CAST(? AS DATE)", vec![Some(DataType::Date)]),
            (
                "count BETWEEN ? AND ?",
                vec![Some(DataType::Integer), Some(DataType::Integer)],
            ),
            (
                "due_date IN (?, ?)",
                vec![Some(DataType::Date), Some(DataType::Date)],
            ),
            ("YEAR(?)", vec![Some(DataType::Timestamp)]),
            ("? AND active", vec![Some(DataType::Bit)]),
            ("COALESCE(?, value)", vec![Some(DataType::Double)]),
            (
                "CASE WHEN active THEN ? ELSE name END",
                vec![Some(DataType::WVarchar(255))],
            ),
            ("? = ?", vec![None, None]),
            ("$2 = id", vec![None, Some(DataType::BigInt)]),
        ];
        for (sql, expected) in cases {
            let (_, params) = compile_with_params(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
            assert_eq!(&params, expected, "{sql}");
        }
        let t = compiled("id = ?");
        assert_eq!(
            t.expr.eval(&row(), &[Value::Int(42)], &env()).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            t.expr.eval(&row(), &[text("42")], &env()).unwrap(),
            Value::Bool(true)
        );
        assert_eq!(
            t.expr.eval(&row(), &[Value::Null], &env()).unwrap(),
            Value::Null
        );
        let t = compiled("? + 1");
        assert_eq!(t.data_type, DataType::BigInt);
        assert_eq!(
            t.expr.eval(&[], &[Value::Int(2)], &env()).unwrap(),
            Value::Int(3)
        );
        let t = compiled(
            "SELECT_PARAM_PLACEHOLDER_IS_TEXT"
                .replace("SELECT_PARAM_PLACEHOLDER_IS_TEXT", "?")
                .as_str(),
        );
        assert_eq!(
            (t.data_type, t.nullable),
            (DataType::WVarchar(DEFAULT_TEXT_LENGTH), true)
        );
    }

    #[test]
    fn bad_parameter_markers_are_rejected() {
        let parse_raw = |sql: &str| {
            Parser::new(&GenericDialect {})
                .try_with_sql(sql)
                .and_then(|mut p| p.parse_expr())
                .unwrap()
        };
        let mut param_types = Vec::new();
        for sql in ["$0", "$99999999", "$abc"] {
            let mut ctx = CompileContext {
                scope: &Deals,
                param_types: &mut param_types,
                aggregate_hook: None,
                subquery_hook: None,
            };
            assert_eq!(
                compile(&parse_raw(sql), &mut ctx).unwrap_err().state,
                SqlState::SyntaxError,
                "{sql}"
            );
        }
        // Unnumbered markers left in the text take the next slots.
        let mut ctx = CompileContext {
            scope: &Deals,
            param_types: &mut param_types,
            aggregate_hook: None,
            subquery_hook: None,
        };
        let t = compile(&parse_raw("? = id AND name = ?"), &mut ctx).unwrap();
        assert_eq!(
            param_types,
            vec![Some(DataType::BigInt), Some(DataType::WVarchar(255))]
        );
        let params = [Value::Int(42), text("Acme")];
        assert_eq!(
            t.expr.eval(&row(), &params, &env()).unwrap(),
            Value::Bool(true)
        );
    }

    #[test]
    fn aggregates_go_through_the_hook() {
        let mut param_types = Vec::new();
        let mut ctx = CompileContext {
            scope: &Deals,
            param_types: &mut param_types,
            aggregate_hook: None,
            subquery_hook: None,
        };
        let e = compile(&parse("COUNT(*) + 1"), &mut ctx).unwrap_err();
        assert_eq!(e.state, SqlState::SyntaxError);
        assert!(e.message.contains("COUNT"), "{}", e.message);

        // A planner-style hook: compiles the argument over the input row and
        // hands back a slot of the aggregated row.
        let mut seen: Vec<(String, Option<TypedExpr>)> = Vec::new();
        let mut hook = |f: &ast::Function,
                        ctx: &mut CompileContext|
         -> Result<TypedExpr, OdbcError> {
            let arg = match &f.args {
                FunctionArguments::List(list) => match list.args.first() {
                    Some(FunctionArg::Unnamed(FunctionArgExpr::Expr(e))) => Some(compile(e, ctx)?),
                    _ => None,
                },
                _ => None,
            };
            let slot = 100 + seen.len();
            seen.push((f.name.to_string(), arg));
            Ok(TypedExpr {
                expr: Expr::Column(slot),
                data_type: DataType::Double,
                nullable: true,
            })
        };
        let mut ctx = CompileContext {
            scope: &Deals,
            param_types: &mut param_types,
            aggregate_hook: Some(&mut hook),
            subquery_hook: None,
        };
        let t = compile(&parse("SUM(value * ?) / COUNT(*)"), &mut ctx).unwrap();
        // A nested aggregate is rejected: the hook is not available inside itself.
        let nested = compile(&parse("SUM(COUNT(*))"), &mut ctx).unwrap_err();
        assert_eq!(nested.state, SqlState::SyntaxError);
        // The hook is back in place afterwards.
        assert!(compile(&parse("MAX(id)"), &mut ctx).is_ok());
        assert_eq!(t.data_type, DataType::Double);
        assert_eq!(
            t.expr,
            Expr::Arithmetic {
                op: ArithmeticOp::Divide,
                domain: NumericDomain::Double,
                left: Box::new(Expr::Column(100)),
                right: Box::new(Expr::Column(101)),
            }
        );
        let names: Vec<&str> = seen.iter().map(|(n, _)| n.as_str()).collect();
        // The outer SUM of the nested call failed before being recorded.
        assert_eq!(names, ["SUM", "COUNT", "MAX"]);
        assert!(seen[1].1.is_none());
        assert_eq!(
            seen[0].1.as_ref().map(|a| a.data_type),
            Some(DataType::Double)
        );
        assert_eq!(param_types, vec![Some(DataType::Double)]);
    }

    #[test]
    fn unsupported_constructs_are_clear_errors() {
        assert_eq!(
            compile_error("EXISTS (SELECT 1)").state,
            SqlState::OptionalFeatureNotImplemented
        );
        assert_eq!(
            compile_error("(SELECT 1)").state,
            SqlState::OptionalFeatureNotImplemented
        );
        assert_eq!(
            compile_error("INTERVAL '1' DAY").state,
            SqlState::OptionalFeatureNotImplemented
        );
        assert_eq!(compile_error("count << 1").state, SqlState::SyntaxError);
        assert_eq!(
            compile_error("name LIKE ANY ('a')").state,
            SqlState::OptionalFeatureNotImplemented
        );
    }

    #[test]
    fn long_and_or_chains_are_flattened_and_balanced() {
        let terms: Vec<String> = (0..5000).map(|i| format!("id = {i}")).collect();
        let sql = terms.join(" OR ");
        let t = compiled(&sql);
        assert_eq!((t.data_type, t.nullable), (DataType::Bit, false));
        fn depth(e: &Expr) -> usize {
            match e {
                Expr::Or(l, r) | Expr::And(l, r) | Expr::Concat(l, r) => 1 + depth(l).max(depth(r)),
                _ => 1,
            }
        }
        assert!(depth(&t.expr) <= 15, "depth {}", depth(&t.expr));
        assert_eq!(t.expr.eval(&row(), &[], &env()).unwrap(), Value::Bool(true));
        let t = compiled(&format!(
            "({}) AND (count = 7 AND (active AND value > 0))",
            terms[..100].join(" OR ")
        ));
        assert_eq!(t.expr.eval(&row(), &[], &env()).unwrap(), Value::Bool(true));
        let concat = vec!["'a'"; 1000].join(" || ");
        let t = compiled(&concat);
        assert_eq!(t.data_type, DataType::WVarchar(1000));
        assert_eq!(
            t.expr.eval(&row(), &[], &env()).unwrap(),
            Value::Text("a".repeat(1000))
        );
    }

    #[test]
    fn chains_keep_three_valued_semantics() {
        assert_eq!(eval("FALSE OR NULL OR FALSE"), Value::Null);
        assert_eq!(eval("FALSE OR NULL OR TRUE"), Value::Bool(true));
        assert_eq!(eval("TRUE AND NULL AND TRUE"), Value::Null);
        assert_eq!(eval("TRUE AND NULL AND FALSE"), Value::Bool(false));
        assert_eq!(
            eval("count = 7 AND (id = 1 OR id = 42) AND name LIKE 'A%'"),
            Value::Bool(true)
        );
        assert_eq!(eval("'a' || NULL || 'b'"), Value::Null);
        assert!(compiled("count = 7 AND value > 1").nullable);
    }

    #[test]
    fn other_deep_chains_are_refused_not_overflowed() {
        let sql = vec!["count"; 1000].join(" + ");
        let e = compile_error(&sql);
        assert_eq!(e.state, SqlState::SyntaxError);
        assert!(e.message.contains("nested"), "{}", e.message);
        // The depth count unwinds after an error: normal expressions still compile.
        assert_eq!(eval(&vec!["count"; 100].join(" + ")), Value::Int(700));
    }

    #[test]
    fn every_odbc_function_parses_and_compiles_in_a_select() {
        use sqlparser::ast::{SelectItem, SetExpr, Statement};
        let calls = [
            "{fn ASCII(name)}",
            "{fn BIT_LENGTH(name)}",
            "{fn CHAR(65)}",
            "{fn CHAR_LENGTH(name)}",
            "{fn CHARACTER_LENGTH(name)}",
            "{fn CONCAT(name, 'x')}",
            "{fn DIFFERENCE(name, 'Acne')}",
            "{fn INSERT(name, 1, 2, 'x')}",
            "{fn LCASE(name)}",
            "{fn LEFT(name, 2)}",
            "{fn LENGTH(name)}",
            "{fn LOCATE('c', name)}",
            "{fn LOCATE('c', name, 2)}",
            "{fn LTRIM(name)}",
            "{fn OCTET_LENGTH(name)}",
            "{fn POSITION('c' IN name)}",
            "{fn REPEAT(name, 2)}",
            "{fn REPLACE(name, 'A', 'a')}",
            "{fn RIGHT(name, 2)}",
            "{fn RTRIM(name)}",
            "{fn SOUNDEX(name)}",
            "{fn SPACE(2)}",
            "{fn SUBSTRING(name, 1, 2)}",
            "{fn UCASE(name)}",
            "{fn ABS(value)}",
            "{fn ACOS(0.5)}",
            "{fn ASIN(0.5)}",
            "{fn ATAN(1)}",
            "{fn ATAN2(1, 1)}",
            "{fn CEILING(value)}",
            "{fn COS(1)}",
            "{fn COT(1)}",
            "{fn DEGREES(1)}",
            "{fn EXP(1)}",
            "{fn FLOOR(value)}",
            "{fn LOG(value)}",
            "{fn LOG10(value)}",
            "{fn MOD(count, 3)}",
            "{fn PI()}",
            "{fn POWER(2, 3)}",
            "{fn RADIANS(90)}",
            "{fn RAND()}",
            "{fn RAND(7)}",
            "{fn ROUND(value, 1)}",
            "{fn SIGN(value)}",
            "{fn SIN(1)}",
            "{fn SQRT(value)}",
            "{fn TAN(1)}",
            "{fn TRUNCATE(value, 1)}",
            "{fn CURDATE()}",
            "{fn CURTIME()}",
            "{fn CURRENT_DATE()}",
            "{fn CURRENT_TIME()}",
            "{fn CURRENT_TIME(3)}",
            "{fn CURRENT_TIMESTAMP()}",
            "{fn CURRENT_TIMESTAMP(3)}",
            "{fn DAYNAME(add_time)}",
            "{fn DAYOFMONTH(add_time)}",
            "{fn DAYOFWEEK(add_time)}",
            "{fn DAYOFYEAR(add_time)}",
            "{fn EXTRACT(MONTH FROM add_time)}",
            "{fn HOUR(add_time)}",
            "{fn MINUTE(add_time)}",
            "{fn MONTH(add_time)}",
            "{fn MONTHNAME(add_time)}",
            "{fn NOW()}",
            "{fn QUARTER(add_time)}",
            "{fn SECOND(add_time)}",
            "{fn WEEK(add_time)}",
            "{fn YEAR(add_time)}",
            "{fn TIMESTAMPADD(SQL_TSI_QUARTER, 1, add_time)}",
            "{fn TIMESTAMPDIFF(SQL_TSI_WEEK, due_date, add_time)}",
            "{fn DATABASE()}",
            "{fn IFNULL(name, 'x')}",
            "{fn USER()}",
            "{fn CONVERT(value, SQL_BIGINT)}",
        ];
        for call in calls {
            let sql = rewrite_odbc_escapes(&format!("SELECT {call} FROM deals WHERE id = ?"), true)
                .unwrap()
                .sql;
            let statements = Parser::parse_sql(&GenericDialect {}, &sql)
                .unwrap_or_else(|e| panic!("{call}: {e}"));
            let [Statement::Query(query)] = statements.as_slice() else {
                panic!("{call}: not a query")
            };
            let SetExpr::Select(select) = query.body.as_ref() else {
                panic!("{call}: not a select")
            };
            let [SelectItem::UnnamedExpr(e)] = select.projection.as_slice() else {
                panic!("{call}: {:?}", select.projection)
            };
            let mut param_types = Vec::new();
            let mut ctx = CompileContext {
                scope: &Deals,
                param_types: &mut param_types,
                aggregate_hook: None,
                subquery_hook: None,
            };
            let t = compile(e, &mut ctx).unwrap_or_else(|err| panic!("{call}: {err}"));
            let value = t
                .expr
                .eval(&row(), &[], &env())
                .unwrap_or_else(|err| panic!("{call}: {err}"));
            assert!(
                cast::is_carried_as(&value, t.data_type),
                "{call}: {value:?} vs {:?}",
                t.data_type
            );
        }
    }

    #[test]
    fn common_types() {
        use DataType as T;
        assert_eq!(common_type(T::Integer, T::BigInt).unwrap(), T::BigInt);
        assert_eq!(common_type(T::Bit, T::Integer).unwrap(), T::Integer);
        assert_eq!(common_type(T::BigInt, T::Double).unwrap(), T::Double);
        assert_eq!(
            common_type(T::WVarchar(5), T::WVarchar(9)).unwrap(),
            T::WVarchar(9)
        );
        assert_eq!(
            common_type(T::WVarchar(5), T::WLongVarchar).unwrap(),
            T::WLongVarchar
        );
        assert_eq!(
            common_type(T::WVarchar(5), T::Timestamp).unwrap(),
            T::WVarchar(29)
        );
        assert_eq!(common_type(T::Date, T::Timestamp).unwrap(), T::Timestamp);
        assert!(common_type(T::Date, T::Time).is_err());
        assert!(common_type(T::Integer, T::Date).is_err());
    }
}
