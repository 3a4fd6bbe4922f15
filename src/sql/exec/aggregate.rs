//! GROUP BY and aggregates: one accumulator per group and aggregate, and
//! for DISTINCT aggregates the values already counted. Groups come out in
//! the order they were first seen; without GROUP BY there is exactly one
//! group, even over no rows (COUNT 0, the others NULL).

use super::backend::Row;
use super::{CancelTicker, ExecContext, Rows};
use crate::diag::{OdbcError, Result, SqlState};
use crate::sql::cast;
use crate::sql::expr::{compare_values, Expr};
use crate::sql::keys::{row_key, ValueKey};
use crate::sql::plan::{AggregateCall, AggregateFunction};
use crate::sql::result::RowSource;
use crate::types::DataType;
use crate::value::Value;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

fn out_of_range(what: &str) -> OdbcError {
    OdbcError::new(
        SqlState::NumericOutOfRange,
        format!("Numeric value out of range: {what}"),
    )
}

/// The running state of one aggregate over one group.
#[derive(Debug, Clone)]
enum State {
    Count(i64),
    SumInteger(Option<i64>),
    SumDouble(Option<f64>),
    AvgInteger { sum: i128, count: i64 },
    AvgDouble { sum: f64, count: i64 },
    Min(Option<Value>),
    Max(Option<Value>),
}

#[derive(Debug, Clone)]
struct Accumulator {
    state: State,
    /// Keys of the values already aggregated (DISTINCT).
    seen: Option<HashSet<ValueKey>>,
}

fn is_integer_type(data_type: DataType) -> bool {
    matches!(
        data_type,
        DataType::Bit | DataType::SmallInt | DataType::Integer | DataType::BigInt
    )
}

impl Accumulator {
    fn new(call: &AggregateCall) -> Accumulator {
        let integer = is_integer_type(call.arg_type);
        let state = match call.function {
            AggregateFunction::CountRows | AggregateFunction::Count => State::Count(0),
            AggregateFunction::Sum if integer => State::SumInteger(None),
            AggregateFunction::Sum => State::SumDouble(None),
            AggregateFunction::Avg if integer => State::AvgInteger { sum: 0, count: 0 },
            AggregateFunction::Avg => State::AvgDouble { sum: 0.0, count: 0 },
            AggregateFunction::Min => State::Min(None),
            AggregateFunction::Max => State::Max(None),
        };
        Accumulator {
            state,
            seen: call.distinct.then(HashSet::new),
        }
    }

    /// Adds one row's argument (`None` for COUNT(*)). NULLs are skipped.
    fn add(&mut self, value: Option<Value>) -> Result<()> {
        let Some(value) = value else {
            if let State::Count(n) = &mut self.state {
                *n += 1;
            }
            return Ok(());
        };
        if value.is_null() {
            return Ok(());
        }
        if let Some(seen) = self.seen.as_mut() {
            if !seen.insert(ValueKey::of(&value)) {
                return Ok(());
            }
        }
        match &mut self.state {
            State::Count(n) => *n += 1,
            State::SumInteger(sum) => {
                let v = cast::to_i64(&value)?;
                *sum = Some(
                    sum.unwrap_or(0)
                        .checked_add(v)
                        .ok_or_else(|| out_of_range("SUM does not fit BIGINT"))?,
                );
            }
            State::SumDouble(sum) => *sum = Some(sum.unwrap_or(0.0) + cast::to_f64(&value)?),
            State::AvgInteger { sum, count } => {
                *sum += i128::from(cast::to_i64(&value)?);
                *count += 1;
            }
            State::AvgDouble { sum, count } => {
                *sum += cast::to_f64(&value)?;
                *count += 1;
            }
            State::Min(current) => {
                let smaller = match current {
                    None => true,
                    Some(c) => compare_values(&value, c)? == Ordering::Less,
                };
                if smaller {
                    *current = Some(value);
                }
            }
            State::Max(current) => {
                let larger = match current {
                    None => true,
                    Some(c) => compare_values(&value, c)? == Ordering::Greater,
                };
                if larger {
                    *current = Some(value);
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Value> {
        let finite = |d: f64, what: &str| {
            if d.is_finite() {
                Ok(Value::Double(d))
            } else {
                Err(out_of_range(what))
            }
        };
        Ok(match self.state {
            State::Count(n) => Value::Int(n),
            State::SumInteger(sum) => sum.map_or(Value::Null, Value::Int),
            State::SumDouble(None) => Value::Null,
            State::SumDouble(Some(sum)) => finite(sum, "SUM overflows DOUBLE")?,
            State::AvgInteger { count: 0, .. } | State::AvgDouble { count: 0, .. } => Value::Null,
            State::AvgInteger { sum, count } => Value::Double(sum as f64 / count as f64),
            State::AvgDouble { sum, count } => finite(sum / count as f64, "AVG overflows DOUBLE")?,
            State::Min(v) | State::Max(v) => v.unwrap_or(Value::Null),
        })
    }
}

pub struct AggregateRows {
    input: Rows,
    group_by: Vec<Expr>,
    calls: Vec<AggregateCall>,
    output: Option<std::vec::IntoIter<Row>>,
    ctx: Arc<ExecContext>,
}

impl AggregateRows {
    pub fn new(
        input: Rows,
        group_by: Vec<Expr>,
        calls: Vec<AggregateCall>,
        ctx: Arc<ExecContext>,
    ) -> AggregateRows {
        AggregateRows {
            input,
            group_by,
            calls,
            output: None,
            ctx,
        }
    }

    fn fresh(&self) -> Vec<Accumulator> {
        self.calls.iter().map(Accumulator::new).collect()
    }

    fn aggregate(&mut self) -> Result<Vec<Row>> {
        let mut index: HashMap<Vec<ValueKey>, usize> = HashMap::new();
        let mut groups: Vec<(Row, Vec<Accumulator>)> = Vec::new();
        let mut ticker = CancelTicker::default();
        while let Some(row) = self.input.next_row()? {
            ticker.tick(&self.ctx)?;
            let values = self
                .group_by
                .iter()
                .map(|e| self.ctx.eval(e, &row))
                .collect::<Result<Row>>()?;
            let key = row_key(&values);
            let slot = match index.get(&key) {
                Some(&slot) => slot,
                None => {
                    groups.push((values, self.fresh()));
                    index.insert(key, groups.len() - 1);
                    groups.len() - 1
                }
            };
            let accumulators = &mut groups[slot].1;
            for (call, accumulator) in self.calls.iter().zip(accumulators.iter_mut()) {
                let value = match &call.arg {
                    Some(arg) => Some(self.ctx.eval(arg, &row)?),
                    None => None,
                };
                accumulator.add(value)?;
            }
        }
        if groups.is_empty() && self.group_by.is_empty() {
            groups.push((Vec::new(), self.fresh()));
        }
        groups
            .into_iter()
            .map(|(mut values, accumulators)| {
                for accumulator in accumulators {
                    values.push(accumulator.finish()?);
                }
                Ok(values)
            })
            .collect()
    }
}

impl RowSource for AggregateRows {
    fn next_row(&mut self) -> Result<Option<Row>> {
        if self.output.is_none() {
            let rows = self.aggregate()?;
            self.output = Some(rows.into_iter());
        }
        Ok(self.output.as_mut().and_then(Iterator::next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(function: AggregateFunction, arg_type: DataType, distinct: bool) -> AggregateCall {
        AggregateCall {
            function,
            arg: Some(Expr::Column(0)),
            distinct,
            arg_type,
            result_type: arg_type,
        }
    }

    fn run(c: &AggregateCall, values: &[Value]) -> Result<Value> {
        let mut a = Accumulator::new(c);
        for v in values {
            a.add(Some(v.clone()))?;
        }
        a.finish()
    }

    #[test]
    fn sums_skip_nulls_and_are_null_over_nothing() {
        let sum = call(AggregateFunction::Sum, DataType::Integer, false);
        assert_eq!(
            run(&sum, &[Value::Int(2), Value::Null, Value::Int(5)]).unwrap(),
            Value::Int(7)
        );
        assert_eq!(run(&sum, &[Value::Null]).unwrap(), Value::Null);
        let overflow = run(&sum, &[Value::Int(i64::MAX), Value::Int(1)]).unwrap_err();
        assert_eq!(overflow.state, SqlState::NumericOutOfRange);
        let avg = call(AggregateFunction::Avg, DataType::Integer, false);
        assert_eq!(
            run(&avg, &[Value::Int(1), Value::Int(2)]).unwrap(),
            Value::Double(1.5)
        );
        // No overflow in the middle of an average of big integers.
        assert_eq!(
            run(&avg, &[Value::Int(i64::MAX), Value::Int(i64::MAX)]).unwrap(),
            Value::Double(i64::MAX as f64)
        );
    }

    #[test]
    fn distinct_aggregates_count_each_value_once() {
        let count = call(AggregateFunction::Count, DataType::Integer, true);
        assert_eq!(
            run(
                &count,
                &[
                    Value::Int(1),
                    Value::Int(1),
                    Value::Double(1.0),
                    Value::Int(2),
                    Value::Null
                ]
            )
            .unwrap(),
            Value::Int(2)
        );
        let sum = call(AggregateFunction::Sum, DataType::Double, true);
        assert_eq!(
            run(
                &sum,
                &[Value::Double(1.5), Value::Double(1.5), Value::Double(2.0)]
            )
            .unwrap(),
            Value::Double(3.5)
        );
    }

    #[test]
    fn min_and_max_compare_by_type() {
        let min = call(AggregateFunction::Min, DataType::WVarchar(10), false);
        let words = [
            Value::Text("b".into()),
            Value::Null,
            Value::Text("a".into()),
            Value::Text("c".into()),
        ];
        assert_eq!(run(&min, &words).unwrap(), Value::Text("a".into()));
        let max = call(AggregateFunction::Max, DataType::WVarchar(10), false);
        assert_eq!(run(&max, &words).unwrap(), Value::Text("c".into()));
        assert_eq!(run(&max, &[]).unwrap(), Value::Null);
    }
}
