//! An OpenBao CEL program (`{"variables": [{"name", "expression"}],
//! "expression"}`) decoded as OpenBao decodes it, parsed once with
//! cel-rust, and prepared for evaluation:
//!
//! - `string(x)` calls are pointed at a Go-compatible conversion;
//! - every comprehension step is charged against a per-login budget, as
//!   cel-rust has no cost limit of its own;
//! - source size and nesting depth are bounded at write time.

use cel::common::ast::{CallExpr, EntryExpr, Expr, IdedExpr, SourceInfo};
use serde_json::{Map, Value as Json};

use super::budget::{BUDGET_FN, BUDGET_LEFT_FN};
use super::environment::{env, STRING_FN};

/// cel-go's default limit on an expression's size, in code points.
pub const MAX_EXPRESSION_CODE_POINTS: usize = 100_000;
/// cel-go's default parser recursion limit.
const MAX_PARSE_RECURSION: u16 = 250;
/// Deepest AST accepted: evaluation recurses once per level, and this keeps
/// a login well inside a 1 MiB thread stack. cel-go accepts deeper programs.
pub const MAX_AST_DEPTH: usize = 64;
/// Most operator, selection and bracket tokens one expression may hold:
/// cel-rust builds (and its parser walks) operator chains recursively, so
/// this bounds the parse's stack use (see `PARSE_STACK_BYTES`).
pub const MAX_OPERATORS: usize = 4096;
/// The parse runs on a stack of this size.
const PARSE_STACK_BYTES: usize = 256 << 20;
/// Most variables a program may declare.
pub const MAX_VARIABLES: usize = 256;
/// One parsed, prepared expression.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    pub(crate) expr: IdedExpr,
}

/// A named variable of a program.
#[derive(Debug, Clone)]
pub struct CelVariable {
    pub name: String,
    pub expression: String,
    pub(crate) parsed: Parsed,
}

/// A decoded, parsed CEL program.
#[derive(Debug, Clone)]
pub struct CelProgram {
    pub variables: Vec<CelVariable>,
    pub expression: String,
    pub(crate) main: Parsed,
    /// The main expression's source positions, for the write-time checker.
    pub(crate) main_info: std::sync::Arc<SourceInfo>,
}

/// Why a program was refused: `Decode` is OpenBao's 400 answer, `Validate`
/// its 500 (the text is wrapped as go-multierror by the role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProgramError {
    Decode(String),
    Validate(String),
}

/// `mapstructure`'s case-insensitive field lookup.
fn field<'a>(map: &'a Map<String, Json>, name: &str) -> Option<&'a Json> {
    map.get(name).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn go_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "invalid",
        Json::Bool(_) => "bool",
        Json::Number(_) => "float64",
        Json::String(_) => "string",
        Json::Array(_) => "slice",
        Json::Object(_) => "map",
    }
}

fn decode_error(detail: String) -> ProgramError {
    ProgramError::Decode(format!(
        "failed to decode 'cel_program': decoding failed due to the following error(s):\n\n{detail}"
    ))
}

fn decode_string(v: Option<&Json>, path: &str) -> Result<String, ProgramError> {
    match v {
        None | Some(Json::Null) => Ok(String::new()),
        Some(Json::String(s)) => Ok(s.clone()),
        Some(other) => Err(decode_error(format!(
            "'{path}' expected type 'string', got unconvertible type '{}', value: '{}'",
            match other {
                Json::Array(_) => "[]interface {}",
                Json::Object(_) => "map[string]interface {}",
                _ => go_kind(other),
            },
            other
        ))),
    }
}

impl CelProgram {
    /// Decodes `raw` as `JSONProgramFromRequest` does, then parses every
    /// expression (OpenBao's `Validate` parses variables and the main
    /// expression in order).
    pub(crate) fn from_json(raw: &Json) -> Result<CelProgram, ProgramError> {
        let Json::Object(map) = raw else {
            return Err(decode_error(format!(
                "'' expected a map, got '{}'",
                go_kind(raw)
            )));
        };
        let mut variables = Vec::new();
        match field(map, "variables") {
            None | Some(Json::Null) => {}
            Some(Json::Array(items)) => {
                if items.len() > MAX_VARIABLES {
                    return Err(ProgramError::Validate(format!(
                        "failed to validate variables: more than {MAX_VARIABLES} variables"
                    )));
                }
                for (i, item) in items.iter().enumerate() {
                    let Json::Object(var) = item else {
                        return Err(decode_error(format!(
                            "'Variables[{i}]' expected a map, got '{}'",
                            go_kind(item)
                        )));
                    };
                    let name = decode_string(field(var, "name"), &format!("Variables[{i}].Name"))?;
                    let expression = decode_string(
                        field(var, "expression"),
                        &format!("Variables[{i}].Expression"),
                    )?;
                    variables.push((name, expression));
                }
            }
            Some(other) => {
                return Err(decode_error(format!(
                    "'Variables' source data must be an array or slice, got {}",
                    go_kind(other)
                )))
            }
        }
        let expression = decode_string(field(map, "expression"), "Expression")?;
        if expression.is_empty() {
            return Err(ProgramError::Decode(
                "cel_program.expression cannot be empty".into(),
            ));
        }

        let mut parsed_vars = Vec::with_capacity(variables.len());
        for (i, (name, source)) in variables.into_iter().enumerate() {
            let (parsed, _) = parse(&source).map_err(|e| {
                ProgramError::Validate(format!(
                    "failed to validate variables: variable[{i}].{name}: failed to validate: invalid CEL syntax for variable '{name}': {e}"
                ))
            })?;
            parsed_vars.push(CelVariable {
                name,
                expression: source,
                parsed,
            });
        }
        let (main, info) = parse(&expression).map_err(|e| {
            ProgramError::Validate(format!("invalid CEL syntax for main expression: {e}"))
        })?;
        Ok(CelProgram {
            variables: parsed_vars,
            expression,
            main,
            main_info: std::sync::Arc::new(info),
        })
    }

    /// The program as OpenBao's role read returns it.
    pub fn to_json(&self) -> Json {
        let mut out = Map::new();
        if !self.variables.is_empty() {
            let vars: Vec<Json> = self
                .variables
                .iter()
                .map(|v| serde_json::json!({"name": v.name, "expression": v.expression}))
                .collect();
            out.insert("variables".into(), Json::Array(vars));
        }
        out.insert("expression".into(), Json::String(self.expression.clone()));
        Json::Object(out)
    }
}

/// cel-go's `ERROR: <input>:L:C: msg` + snippet + caret, for one error at a
/// byte offset (columns count code points, as cel-go's do).
pub(crate) fn go_issue(source: &str, line: usize, col: usize, msg: &str) -> String {
    let snippet = source.split('\n').nth(line.saturating_sub(1)).unwrap_or("");
    format!(
        "ERROR: <input>:{line}:{}: {msg}\n | {snippet}\n | {}^",
        col + 1,
        ".".repeat(col)
    )
}

/// Line (1-based) and column (0-based, in code points) of a byte offset.
pub(crate) fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let before = source.get(..offset.min(source.len())).unwrap_or(source);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count());
    (line, col)
}

/// Parses one expression with OpenBao's environment and prepares it for
/// evaluation; errors are cel-go-style issue texts.
pub(crate) fn parse(source: &str) -> Result<(Parsed, SourceInfo), String> {
    if source.chars().count() > MAX_EXPRESSION_CODE_POINTS {
        return Err(format!(
            "expression code point size exceeds limit: size: {}, limit {MAX_EXPRESSION_CODE_POINTS}",
            source.chars().count()
        ));
    }
    let operators = operator_tokens(source);
    if operators > MAX_OPERATORS {
        return Err(format!(
            "ERROR: <input>:1:1: expression has {operators} operators, more than the {MAX_OPERATORS} accepted"
        ));
    }
    // Parsing recurses once per nesting level and per chained operator: it
    // runs on a stack sized for the limits above. The generated parser is
    // third-party code: a panic in it is a refused program.
    let result = stacker::maybe_grow(PARSE_STACK_BYTES / 2, PARSE_STACK_BYTES, || {
        let parser = env()
            .parser()
            .max_recursion_depth(MAX_PARSE_RECURSION)
            .enable_optional_syntax(true);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            parser.parse_with_source_info(source)
        }))
    });
    let (mut expr, info) = match result {
        Ok(Ok(parsed)) => parsed,
        Ok(Err(errors)) => {
            let texts: Vec<String> = errors
                .errors
                .iter()
                .map(|e| {
                    let line = usize::try_from(e.pos.0).unwrap_or(1).max(1);
                    let col = usize::try_from(e.pos.1).unwrap_or(1).max(1) - 1;
                    go_issue(source, line, col, &e.msg)
                })
                .collect();
            return Err(texts.join("\n"));
        }
        Err(_) => return Err("ERROR: <input>:1:1: expression could not be parsed".into()),
    };
    let depth = depth(&expr);
    if depth > MAX_AST_DEPTH {
        return Err(format!(
            "ERROR: <input>:1:1: expression nests {depth} levels deep, more than the {MAX_AST_DEPTH} evaluated locally"
        ));
    }
    rewrite(&mut expr);
    Ok((Parsed { expr }, info))
}

/// Tokens that add a level to cel-rust's parse: operators, `.`, `?` and
/// opening brackets, outside string literals (a rough, conservative count).
fn operator_tokens(source: &str) -> usize {
    let mut count = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in source.chars() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' => quote = Some(c),
            '+' | '-' | '*' | '/' | '%' | '<' | '>' | '=' | '!' | '&' | '|' | '?' | '.' | '('
            | '[' | '{' => count += 1,
            _ => {}
        }
    }
    count
}

fn children(expr: &IdedExpr) -> Vec<&IdedExpr> {
    match &expr.expr {
        Expr::Call(c) => c.target.iter().map(|t| &**t).chain(c.args.iter()).collect(),
        Expr::Comprehension(c) => vec![
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ],
        Expr::List(l) => l.elements.iter().collect(),
        Expr::Map(m) => m
            .entries
            .iter()
            .flat_map(|e| match &e.expr {
                EntryExpr::MapEntry(me) => vec![&me.key, &me.value],
                EntryExpr::StructField(f) => vec![&f.value],
            })
            .collect(),
        Expr::Struct(s) => s
            .entries
            .iter()
            .flat_map(|e| match &e.expr {
                EntryExpr::MapEntry(me) => vec![&me.key, &me.value],
                EntryExpr::StructField(f) => vec![&f.value],
            })
            .collect(),
        Expr::Select(s) => vec![&*s.operand],
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => vec![],
    }
}

/// Depth of the AST, iteratively (the input may be hostile).
fn depth(root: &IdedExpr) -> usize {
    let mut max = 0;
    let mut stack = vec![(root, 1usize)];
    while let Some((e, d)) = stack.pop() {
        max = max.max(d);
        for c in children(e) {
            stack.push((c, d + 1));
        }
    }
    max
}

fn call(id: u64, name: &str, args: Vec<IdedExpr>) -> IdedExpr {
    IdedExpr {
        id,
        expr: Expr::Call(CallExpr {
            func_name: name.to_string(),
            target: None,
            args,
        }),
    }
}

/// Wraps the per-element part of a comprehension step in the budget call,
/// keeping the step's shape: cel-rust recognises `accu && p` / `accu || p`
/// (deferring errors as cel-go does) and `accu + [x]` (appending in place)
/// by that shape.
/// True when the step is a logical fold (whose errors cel-rust defers).
fn charge_step(step: &mut IdedExpr, accu: &str) -> bool {
    let wrap = |e: &mut IdedExpr| {
        let inner = std::mem::take(e);
        *e = call(inner.id, BUDGET_FN, vec![inner]);
    };
    let is_accu = |e: &IdedExpr| matches!(&e.expr, Expr::Ident(n) if n == accu);
    if let Expr::Call(c) = &mut step.expr {
        if c.target.is_none() {
            match (c.func_name.as_str(), c.args.as_mut_slice()) {
                ("_&&_" | "_||_", [first, pred]) if is_accu(first) => {
                    wrap(pred);
                    return true;
                }
                ("_?_:_", [guard, _, _]) => {
                    wrap(guard);
                    return false;
                }
                ("_+_", [first, list]) if is_accu(first) => {
                    if let Expr::List(l) = &mut list.expr {
                        if let Some(item) = l.elements.first_mut() {
                            wrap(item);
                            return false;
                        }
                    }
                }
                _ => {}
            }
        }
    }
    wrap(step);
    false
}

/// Points `string(x)` at the Go-compatible conversion and charges every
/// comprehension step to the budget.
fn rewrite(expr: &mut IdedExpr) {
    match &mut expr.expr {
        Expr::Call(c) => {
            if c.func_name == "string" && c.target.is_none() && c.args.len() == 1 {
                c.func_name = STRING_FN.to_string();
            }
            if let Some(t) = c.target.as_deref_mut() {
                rewrite(t);
            }
            c.args.iter_mut().for_each(rewrite);
        }
        Expr::Comprehension(c) => {
            rewrite(&mut c.iter_range);
            rewrite(&mut c.accu_init);
            rewrite(&mut c.loop_cond);
            rewrite(&mut c.loop_step);
            rewrite(&mut c.result);
            if charge_step(&mut c.loop_step, &c.accu_var) {
                // cel-rust defers errors in `all`/`exists` steps to the end
                // of the loop: stop at the loop condition once the budget is
                // spent instead of running the rest.
                let cond = std::mem::take(&mut c.loop_cond);
                c.loop_cond = call(cond.id, BUDGET_LEFT_FN, vec![cond]);
            }
        }
        Expr::List(l) => l.elements.iter_mut().for_each(rewrite),
        Expr::Map(m) => m.entries.iter_mut().for_each(|e| match &mut e.expr {
            EntryExpr::MapEntry(me) => {
                rewrite(&mut me.key);
                rewrite(&mut me.value);
            }
            EntryExpr::StructField(f) => rewrite(&mut f.value),
        }),
        Expr::Struct(s) => s.entries.iter_mut().for_each(|e| match &mut e.expr {
            EntryExpr::MapEntry(me) => {
                rewrite(&mut me.key);
                rewrite(&mut me.value);
            }
            EntryExpr::StructField(f) => rewrite(&mut f.value),
        }),
        Expr::Select(s) => rewrite(&mut s.operand),
        Expr::Ident(_) | Expr::Literal(_) | Expr::Unspecified => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decode_errors_match_openbao() {
        let e = CelProgram::from_json(&json!({"expression": "1", "variables": {"name": "x"}}))
            .expect_err("map");
        assert_eq!(
            e,
            ProgramError::Decode("failed to decode 'cel_program': decoding failed due to the following error(s):\n\n'Variables' source data must be an array or slice, got map".into())
        );
        let e = CelProgram::from_json(&json!({"variables": []})).expect_err("empty");
        assert_eq!(
            e,
            ProgramError::Decode("cel_program.expression cannot be empty".into())
        );
    }

    #[test]
    fn deep_programs_are_refused() {
        let src = format!("{}1{}", "(".repeat(30), ")".repeat(30));
        assert!(parse(&src).is_ok());
        let n = MAX_AST_DEPTH + 5;
        let src = format!("{}1{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(&src).is_err());
        // Long operator chains parse on the parser's own stack.
        let chain = vec!["1"; MAX_OPERATORS / 2].join(" + ");
        assert!(parse(&chain).is_err(), "too deep to evaluate");
        let chain = vec!["1"; MAX_OPERATORS + 2].join("+");
        assert!(parse(&chain).expect_err("too many").contains("operators"));
    }

    #[test]
    fn line_columns_count_code_points() {
        assert_eq!(line_col("ab\ncü d", 6), (2, 2));
    }
}
