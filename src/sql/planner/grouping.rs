//! Aggregates and GROUP BY.
//!
//! Select items, HAVING and ORDER BY keys are compiled over the input row
//! with an aggregate hook: each aggregate call is recorded (once, however
//! often it is written) and stands for a column past the input row. If the
//! query aggregates, those expressions are then rewritten for the
//! aggregated row (group values, then aggregate results): a subexpression
//! equal to a GROUP BY expression reads that group's value, an aggregate
//! reads its result, and any other input column is an error naming it.

use crate::diag::{OdbcError, Result};
use crate::sql::compile::{compile, CompileContext};
use crate::sql::expr::{Expr, TypedExpr};
use crate::sql::keys::KeyFamily;
use crate::sql::plan::{AggregateCall, AggregateFunction};
use crate::types::DataType;
use sqlparser::ast::{
    self, DuplicateTreatment, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectNamePart,
};

fn syntax(message: String) -> OdbcError {
    OdbcError::syntax(format!("Syntax error: {message}"))
}

/// Records the aggregate calls of one SELECT.
pub(super) struct AggregateCollector {
    input_width: usize,
    pub calls: Vec<AggregateCall>,
}

impl AggregateCollector {
    pub fn new(input_width: usize) -> AggregateCollector {
        AggregateCollector {
            input_width,
            calls: Vec::new(),
        }
    }

    /// Compiles one aggregate call (the hook of `CompileContext`); its
    /// argument is compiled with `ctx`, whose own aggregate hook is out
    /// while this runs, so aggregates cannot nest.
    pub fn compile_call(
        &mut self,
        function: &ast::Function,
        ctx: &mut CompileContext,
    ) -> Result<TypedExpr> {
        let name = match function.name.0.as_slice() {
            [ObjectNamePart::Identifier(ident)] => ident.value.to_ascii_uppercase(),
            _ => return Err(syntax(format!("unknown function {}", function.name))),
        };
        if function.over.is_some() {
            return Err(OdbcError::not_implemented(format!(
                "window function {name}"
            )));
        }
        if function.filter.is_some()
            || !function.within_group.is_empty()
            || function.null_treatment.is_some()
            || !matches!(function.parameters, FunctionArguments::None)
        {
            return Err(OdbcError::not_implemented(format!(
                "FILTER, WITHIN GROUP and NULLS clauses of {name}"
            )));
        }
        let list = match &function.args {
            FunctionArguments::List(list) if list.clauses.is_empty() => list,
            FunctionArguments::List(_) => {
                return Err(syntax(format!("invalid arguments to {name}")))
            }
            FunctionArguments::None | FunctionArguments::Subquery(_) => {
                return Err(syntax(format!("{name} takes one argument")))
            }
        };
        let distinct = matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct));
        let (function_kind, arg) = match (name.as_str(), list.args.as_slice()) {
            ("COUNT", [FunctionArg::Unnamed(FunctionArgExpr::Wildcard)]) if !distinct => {
                (AggregateFunction::CountRows, None)
            }
            (_, [FunctionArg::Unnamed(FunctionArgExpr::Expr(e))]) => {
                let kind = match name.as_str() {
                    "COUNT" => AggregateFunction::Count,
                    "SUM" => AggregateFunction::Sum,
                    "AVG" => AggregateFunction::Avg,
                    "MIN" => AggregateFunction::Min,
                    "MAX" => AggregateFunction::Max,
                    _ => return Err(syntax(format!("unknown aggregate function {name}"))),
                };
                (kind, Some(compile(e, ctx)?))
            }
            _ => {
                return Err(syntax(format!(
                    "{name} takes one argument{}",
                    if name == "COUNT" { " or *" } else { "" }
                )))
            }
        };
        let (arg, arg_type) = match arg {
            None => (None, DataType::BigInt),
            Some(mut arg) => {
                if matches!(
                    function_kind,
                    AggregateFunction::Sum | AggregateFunction::Avg
                ) {
                    ctx.infer_parameter_type(&mut arg, DataType::Double);
                    if KeyFamily::of_type(arg.data_type) != KeyFamily::Number {
                        return Err(syntax(format!(
                            "{name} needs a numeric argument, not {}",
                            arg.data_type.type_name()
                        )));
                    }
                }
                (Some(arg.expr), arg.data_type)
            }
        };
        let (result_type, nullable) = match function_kind {
            AggregateFunction::CountRows | AggregateFunction::Count => (DataType::BigInt, false),
            AggregateFunction::Sum if arg_type == DataType::Double => (DataType::Double, true),
            AggregateFunction::Sum => (DataType::BigInt, true),
            AggregateFunction::Avg => (DataType::Double, true),
            AggregateFunction::Min | AggregateFunction::Max => (arg_type, true),
        };
        let call = AggregateCall {
            function: function_kind,
            arg,
            // MIN and MAX do not care; COUNT(DISTINCT x), SUM(DISTINCT x)...
            distinct: distinct
                && !matches!(
                    function_kind,
                    AggregateFunction::Min | AggregateFunction::Max
                ),
            arg_type,
            result_type,
        };
        let slot = match self.calls.iter().position(|c| *c == call) {
            Some(slot) => slot,
            None => {
                self.calls.push(call);
                self.calls.len() - 1
            }
        };
        Ok(TypedExpr {
            expr: Expr::Column(self.input_width + slot),
            data_type: result_type,
            nullable,
        })
    }
}

/// Rewrites an expression compiled over the input row (with aggregate
/// calls past it) for the aggregated row. `describe` names an input column
/// for the error when one is neither grouped nor aggregated.
pub(super) fn rewrite_for_groups(
    expr: &mut Expr,
    groups: &[Expr],
    input_width: usize,
    describe: &dyn Fn(usize) -> String,
) -> Result<()> {
    if let Some(g) = groups.iter().position(|group| group == expr) {
        *expr = Expr::Column(g);
        return Ok(());
    }
    if let Expr::Column(position) = *expr {
        if position >= input_width {
            *expr = Expr::Column(groups.len() + position - input_width);
            return Ok(());
        }
        return Err(OdbcError::syntax(format!(
            "Column '{}' must appear in the GROUP BY clause or be used in an aggregate function",
            describe(position)
        )));
    }
    for child in expr.children_mut() {
        rewrite_for_groups(child, groups, input_width, describe)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::expr::{ArithmeticOp, NumericDomain};
    use crate::value::Value;

    #[test]
    fn grouped_columns_and_aggregates_move_to_their_slots() {
        // Input row of 3 columns; groups: column 2 and (column 0 + 1);
        // aggregates at 3 and 4.
        let plus_one = Expr::Arithmetic {
            op: ArithmeticOp::Add,
            domain: NumericDomain::Integer,
            left: Box::new(Expr::Column(0)),
            right: Box::new(Expr::Literal(Value::Int(1))),
        };
        let groups = vec![Expr::Column(2), plus_one.clone()];
        let mut e = Expr::Arithmetic {
            op: ArithmeticOp::Multiply,
            domain: NumericDomain::Integer,
            left: Box::new(plus_one),
            right: Box::new(Expr::Column(4)),
        };
        rewrite_for_groups(&mut e, &groups, 3, &|i| format!("c{i}")).unwrap();
        assert_eq!(
            e,
            Expr::Arithmetic {
                op: ArithmeticOp::Multiply,
                domain: NumericDomain::Integer,
                left: Box::new(Expr::Column(1)),
                right: Box::new(Expr::Column(3)),
            }
        );
        let mut bare = Expr::Column(0);
        let err = rewrite_for_groups(&mut bare, &groups, 3, &|i| format!("c{i}")).unwrap_err();
        assert_eq!(err.state, crate::diag::SqlState::SyntaxError);
        assert!(err.message.contains("c0"), "{}", err.message);
    }
}
