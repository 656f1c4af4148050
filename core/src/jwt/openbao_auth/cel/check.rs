//! The write-time type check OpenBao runs on a role's main expression
//! (`env.Check`), for the errors that matter in practice: undeclared
//! identifiers and functions, unknown message types and fields, field
//! values whose static type cannot fit the proto field, and `format`
//! strings with a clause cel-go does not know. Variables and `claims.*`
//! are `dyn`, as in OpenBao, so most of a program is only checked when it
//! runs. cel-rust has no checker; this is a deliberately small one, and
//! what it does not cover is listed in docs/openbao_cel.md.

use std::collections::HashSet;

use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue, SourceInfo};

use super::budget::{BUDGET_FN, BUDGET_LEFT_FN};
use super::environment::STRING_FN;
use super::messages::{fields_of, FieldKind};
use super::program::{go_issue, line_col};

/// A static type as far as this checker tracks it.
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Dyn,
    Str,
    Int,
    Uint,
    Double,
    Bool,
    Null,
    Bytes,
    Timestamp,
    List(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    Message(String),
}

impl Ty {
    fn name(&self) -> String {
        match self {
            Ty::Dyn => "dyn".into(),
            Ty::Str => "string".into(),
            Ty::Int => "int".into(),
            Ty::Uint => "uint".into(),
            Ty::Double => "double".into(),
            Ty::Bool => "bool".into(),
            Ty::Null => "null_type".into(),
            Ty::Bytes => "bytes".into(),
            Ty::Timestamp => "google.protobuf.Timestamp".into(),
            Ty::List(t) => format!("list({})", t.name()),
            Ty::Map(k, v) => format!("map({}, {})", k.name(), v.name()),
            Ty::Message(m) => m.clone(),
        }
    }

    /// Whether a value of this type may initialise a field of `kind`.
    fn fits(&self, kind: FieldKind) -> bool {
        let elem_ok = |t: &Ty, want: &Ty| matches!(t, Ty::Dyn) || t == want;
        match (self, kind) {
            (Ty::Dyn, _) => true,
            (Ty::Str, FieldKind::Str)
            | (Ty::Int, FieldKind::Int64)
            | (Ty::Uint, FieldKind::Uint32)
            | (Ty::Bool, FieldKind::Bool)
            | (Ty::Timestamp, FieldKind::Timestamp) => true,
            // Proto message fields accept null.
            (Ty::Null, FieldKind::Message(_)) => true,
            (Ty::Message(m), FieldKind::Message(want)) => m == want,
            (Ty::List(t), FieldKind::StrList) => elem_ok(t, &Ty::Str),
            (Ty::List(t), FieldKind::MessageList(want)) => {
                elem_ok(t, &Ty::Message(want.to_string()))
            }
            (Ty::Map(k, v), FieldKind::StrMap) => elem_ok(k, &Ty::Str) && elem_ok(v, &Ty::Str),
            _ => false,
        }
    }
}

/// Joins element types the way cel-go's checker does for list and map
/// literals: one type when all agree, `dyn` otherwise.
fn join(types: impl Iterator<Item = Ty>) -> Ty {
    let mut out: Option<Ty> = None;
    for t in types {
        out = match out {
            None => Some(t),
            Some(prev) if prev == t => Some(prev),
            Some(_) => return Ty::Dyn,
        };
    }
    out.unwrap_or(Ty::Dyn)
}

/// Functions callable without a receiver in OpenBao's environment.
const GLOBAL_FUNCTIONS: &[&str] = &[
    "size",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "bool",
    "type",
    "dyn",
    "duration",
    "timestamp",
    "matches",
    "check_valid_email",
    "encode_json",
    "decode_json",
    "base64.encode",
    "base64.decode",
    "strings.quote",
    "sets.contains",
    "sets.equivalent",
    "sets.intersects",
    "math.greatest",
    "math.least",
    "math.ceil",
    "math.floor",
    "math.round",
    "math.trunc",
    "math.abs",
    "math.sign",
    "math.isNaN",
    "math.isInf",
    "math.isFinite",
    "math.bitAnd",
    "math.bitOr",
    "math.bitXor",
    "math.bitNot",
    "math.bitShiftLeft",
    "math.bitShiftRight",
    "math.sqrt",
    "lists.range",
    "optional.of",
    "optional.none",
    "optional.ofNonZeroValue",
    "regex.replace",
    "regex.extract",
    "regex.extractAll",
    STRING_FN,
    BUDGET_FN,
    BUDGET_LEFT_FN,
];

/// Valid `format` clauses (cel-go's strings extension).
fn format_clause_error(fmt: &str) -> Option<String> {
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        if chars.peek() == Some(&'.') {
            chars.next();
            while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                chars.next();
            }
        }
        match chars.next() {
            Some('%' | 's' | 'd' | 'f' | 'e' | 'b' | 'o' | 'x' | 'X') => {}
            Some(other) => {
                return Some(format!(
                    "could not parse formatting clause: unrecognized formatting clause \"{other}\""
                ))
            }
            None => {
                return Some("could not parse formatting clause: unexpected end of string".into())
            }
        }
    }
    None
}

struct Checker<'a> {
    source: &'a str,
    info: &'a SourceInfo,
    errors: Vec<String>,
}

impl Checker<'_> {
    fn report(&mut self, id: u64, msg: String) {
        let offset = self
            .info
            .offset_for(id)
            .map_or(0, |(start, _)| start as usize);
        let (line, col) = line_col(self.source, offset);
        self.errors.push(go_issue(self.source, line, col, &msg));
    }

    fn check(&mut self, e: &IdedExpr, scope: &mut Vec<String>, declared: &HashSet<&str>) -> Ty {
        match &e.expr {
            Expr::Literal(l) => match l {
                LiteralValue::Boolean(_) => Ty::Bool,
                LiteralValue::Bytes(_) => Ty::Bytes,
                LiteralValue::Double(_) => Ty::Double,
                LiteralValue::Int(_) => Ty::Int,
                LiteralValue::Null => Ty::Null,
                LiteralValue::String(_) => Ty::Str,
                LiteralValue::UInt(_) => Ty::Uint,
            },
            Expr::Ident(name) => {
                if scope.iter().any(|s| s == name) || declared.contains(name.as_str()) {
                    match name.as_str() {
                        "now" if !scope.iter().any(|s| s == name) => Ty::Timestamp,
                        "operation" if !scope.iter().any(|s| s == name) => Ty::Str,
                        _ => Ty::Dyn,
                    }
                } else {
                    self.report(
                        e.id,
                        format!("undeclared reference to '{name}' (in container '')"),
                    );
                    Ty::Dyn
                }
            }
            Expr::Select(s) => {
                // `pb.x` etc. as a qualified identifier that is not declared.
                if let Some(segs) = e.expr_qualified() {
                    let root = segs.first().copied().unwrap_or("");
                    let full = segs.join(".");
                    if fields_of(&full).is_some()
                        || full == "google.protobuf.Timestamp"
                        || full == "google.protobuf.Duration"
                    {
                        return Ty::Dyn;
                    }
                    if !scope.iter().any(|s| s == root) && !declared.contains(root) {
                        self.report(
                            e.id,
                            format!(
                                "undeclared reference to '{}' (in container '')",
                                segs.join(".")
                            ),
                        );
                        return Ty::Dyn;
                    }
                }
                self.check(&s.operand, scope, declared);
                Ty::Dyn
            }
            Expr::Call(c) => {
                if let Some(t) = &c.target {
                    // `a.b.f()` with a namespace root is a global call.
                    let namespaced = t.expr_qualified().is_some_and(|segs| {
                        GLOBAL_FUNCTIONS
                            .contains(&format!("{}.{}", segs.join("."), c.func_name).as_str())
                    });
                    if !namespaced {
                        self.check(t, scope, declared);
                    }
                    if c.func_name == "format" {
                        if let Expr::Literal(LiteralValue::String(fmt)) = &t.expr {
                            if let Some(msg) = format_clause_error(fmt.inner()) {
                                self.report(e.id, msg);
                            }
                        }
                    }
                } else if !c.func_name.starts_with('_')
                    && !c.func_name.starts_with('@')
                    && c.func_name != "!_"
                    && c.func_name != "-_"
                    && !GLOBAL_FUNCTIONS.contains(&c.func_name.as_str())
                {
                    self.report(
                        e.id,
                        format!(
                            "undeclared reference to '{}' (in container '')",
                            c.func_name
                        ),
                    );
                }
                let args: Vec<Ty> = c
                    .args
                    .iter()
                    .map(|a| self.check(a, scope, declared))
                    .collect();
                match c.func_name.as_str() {
                    STRING_FN => Ty::Str,
                    "int" | "size" => Ty::Int,
                    "_==_" | "_!=_" | "_<_" | "_<=_" | "_>_" | "_>=_" | "_&&_" | "_||_" | "!_"
                    | "@in" | "check_valid_email" => Ty::Bool,
                    "_+_" if args.iter().all(|a| *a == Ty::Str) => Ty::Str,
                    "_+_" => match (args.first(), args.get(1)) {
                        (Some(Ty::List(a)), Some(Ty::List(b))) if a == b => Ty::List(a.clone()),
                        (Some(Ty::List(_)), Some(Ty::List(_))) => Ty::List(Box::new(Ty::Dyn)),
                        _ => Ty::Dyn,
                    },
                    // OpenBao's ternary returns dyn.
                    _ => Ty::Dyn,
                }
            }
            Expr::Comprehension(c) => {
                self.check(&c.iter_range, scope, declared);
                self.check(&c.accu_init, scope, declared);
                let pushed = 2 + usize::from(c.iter_var2.is_some());
                scope.push(c.iter_var.clone());
                if let Some(v2) = &c.iter_var2 {
                    scope.push(v2.clone());
                }
                scope.push(c.accu_var.clone());
                self.check(&c.loop_cond, scope, declared);
                self.check(&c.loop_step, scope, declared);
                // The result sees the accumulator only.
                self.check(&c.result, scope, declared);
                scope.truncate(scope.len() - pushed);
                Ty::Dyn
            }
            Expr::List(l) => {
                let types: Vec<Ty> = l
                    .elements
                    .iter()
                    .map(|x| self.check(x, scope, declared))
                    .collect();
                Ty::List(Box::new(join(types.into_iter())))
            }
            Expr::Map(m) => {
                let mut keys = Vec::new();
                let mut values = Vec::new();
                for entry in &m.entries {
                    if let EntryExpr::MapEntry(me) = &entry.expr {
                        keys.push(self.check(&me.key, scope, declared));
                        values.push(self.check(&me.value, scope, declared));
                    }
                }
                Ty::Map(
                    Box::new(join(keys.into_iter())),
                    Box::new(join(values.into_iter())),
                )
            }
            Expr::Struct(s) => {
                let Some(fields) = fields_of(&s.type_name) else {
                    self.report(
                        e.id,
                        format!(
                            "undeclared reference to '{}' (in container '')",
                            s.type_name
                        ),
                    );
                    return Ty::Dyn;
                };
                for entry in &s.entries {
                    let EntryExpr::StructField(f) = &entry.expr else {
                        continue;
                    };
                    let value_ty = self.check(&f.value, scope, declared);
                    match fields.iter().find(|(n, _)| *n == f.field) {
                        None => self.report(entry.id, format!("undefined field '{}'", f.field)),
                        Some((_, kind)) if !value_ty.fits(*kind) && !f.optional => self.report(
                            entry.id,
                            format!(
                                "expected type of field '{}' is '{}' but provided type is '{}'",
                                f.field,
                                kind.cel_name(),
                                value_ty.name()
                            ),
                        ),
                        Some(_) => {}
                    }
                }
                Ty::Message(s.type_name.clone())
            }
            Expr::Unspecified => Ty::Dyn,
        }
    }
}

/// Qualified-name view of a select chain (`a.b.c` -> `[a, b, c]`).
trait Qualified {
    fn expr_qualified(&self) -> Option<Vec<&str>>;
}

impl Qualified for IdedExpr {
    fn expr_qualified(&self) -> Option<Vec<&str>> {
        let mut segments = Vec::new();
        let mut expr = &self.expr;
        loop {
            match expr {
                Expr::Ident(name) => {
                    segments.push(name.as_str());
                    segments.reverse();
                    return Some(segments);
                }
                Expr::Select(select) if !select.test => {
                    segments.push(select.field.as_str());
                    expr = &select.operand.expr;
                }
                _ => return None,
            }
        }
    }
}

/// Checks the main expression; `Err` is cel-go's issue text.
pub(crate) fn check_main(
    expr: &IdedExpr,
    source: &str,
    info: &SourceInfo,
    variables: &[&str],
) -> Result<(), String> {
    // The variables plus the type identifiers (`type(x) == double`).
    let mut declared: HashSet<&str> = [
        "claims",
        "now",
        "operation",
        "int",
        "uint",
        "double",
        "string",
        "bytes",
        "bool",
        "list",
        "map",
        "null_type",
        "type",
        "dyn",
        "optional_type",
    ]
    .into_iter()
    .collect();
    declared.extend(variables.iter().copied());
    let mut checker = Checker {
        source,
        info,
        errors: Vec::new(),
    };
    checker.check(expr, &mut Vec::new(), &declared);
    if checker.errors.is_empty() {
        Ok(())
    } else {
        Err(checker.errors.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_clauses() {
        assert!(format_clause_error("%s %d %.2f %%").is_none());
        assert_eq!(
            format_clause_error("%q").as_deref(),
            Some("could not parse formatting clause: unrecognized formatting clause \"q\"")
        );
    }
}
