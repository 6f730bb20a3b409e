package dev.warden.detection;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A rule's condition: a CEL expression over its measures and baselines, all doubles, that must
 * type-check to a bool. It is translated to a SQL boolean expression, so that the whole rule runs
 * in the database (and on Spark) rather than row by row in Java; the CEL runtime evaluates it too,
 * which tests use to hold the translation to CEL's meaning.
 *
 * <p>The translatable subset: number literals, the rule's names, {@code + - * /}, unary minus,
 * comparisons, {@code && || !} and {@code ?:}. One difference is by design: CEL divides a double
 * by zero to infinity, SQL here to NULL ({@code a / NULLIF(b, 0)}), and a NULL comparison is
 * false, so a growth ratio over an empty earlier window never flags. Write {@code before == 0.0 ||
 * ...} to flag new usage.
 */
final class Condition {
    // Mixed int and double comparisons (storage > 5) would otherwise fail the type check (CEL spec
    // §Numbers: no implicit conversion); arithmetic still needs double literals.
    private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true).build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS).build();

    private Condition() {
    }

    /** A condition that does not compile; {@link #line} is its line within the expression, from 0. */
    static final class Invalid extends RuleException {
        final int line;

        Invalid(String message, int line) {
            super(message);
            this.line = line;
        }
    }

    static int lineOf(RuleException e) {
        return e instanceof Invalid i ? i.line : 0;
    }

    /** Type-checks the rule's condition; the checked tree. */
    static CelAbstractSyntaxTree compile(RulePack.Rule rule) {
        CelCompilerBuilder b = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS).setResultType(SimpleType.BOOL);
        for (String name : rule.variables()) {
            b.addVar(name, SimpleType.DOUBLE);
        }
        CelCompiler compiler = b.build();
        CelValidationResult result = compiler.compile(rule.condition());
        if (result.hasError()) {
            CelIssue first = result.getErrors().get(0);
            int line = Math.max(0, first.getSourceLocation().getLine() - 1);
            throw new Invalid("condition: " + first.getMessage() + " (column " + (first.getSourceLocation().getColumn() + 1)
                    + "; the names are " + rule.variables() + ")", line);
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = result.getAst();
        } catch (dev.cel.common.CelValidationException e) {
            throw new Invalid("condition: " + e.getMessage(), 0);
        }
        sql(ast.getExpr(), name -> name); // refuse what SQL cannot say now, not at scan time
        return ast;
    }

    /** The condition as a SQL boolean expression, with each name replaced by {@code column.apply(name)}. */
    static String toSql(RulePack.Rule rule, Function<String, String> column) {
        return sql(compile(rule).getExpr(), column);
    }

    /** The condition as the CEL runtime evaluates it (doubles for every name): what the SQL must agree with. */
    static java.util.function.Predicate<Map<String, Double>> evaluator(RulePack.Rule rule) {
        CelRuntime.Program program;
        try {
            program = RUNTIME.createProgram(compile(rule));
        } catch (CelEvaluationException e) {
            throw new RuleException("rule \"" + rule.id() + "\": " + e.getMessage(), e);
        }
        return values -> {
            try {
                Object out = program.eval(values);
                if (!(out instanceof Boolean b)) {
                    throw new RuleException("rule \"" + rule.id() + "\": the condition gave " + out + ", not a bool");
                }
                return b;
            } catch (CelEvaluationException e) {
                throw new RuleException("rule \"" + rule.id() + "\": " + e.getMessage(), e);
            }
        };
    }

    private static String sql(CelExpr e, Function<String, String> column) {
        switch (e.exprKind().getKind()) {
            case CONSTANT -> {
                CelConstant c = e.constant();
                return switch (c.getKind()) {
                    case DOUBLE_VALUE -> literal(c.doubleValue());
                    case INT64_VALUE -> "CAST(" + c.int64Value() + " AS DOUBLE)";
                    case UINT64_VALUE -> "CAST(" + c.uint64Value() + " AS DOUBLE)";
                    case BOOLEAN_VALUE -> c.booleanValue() ? "(1 = 1)" : "(1 = 0)";
                    default -> throw unsupported("a " + c.getKind() + " literal");
                };
            }
            case IDENT -> {
                return column.apply(e.ident().name());
            }
            case CALL -> {
                CelExpr.CelCall call = e.call();
                if (call.target().isPresent()) {
                    throw unsupported("method " + call.function() + "()");
                }
                List<CelExpr> a = call.args();
                return switch (call.function()) {
                    case "_&&_" -> "(" + sql(a.get(0), column) + " AND " + sql(a.get(1), column) + ")";
                    case "_||_" -> "(" + sql(a.get(0), column) + " OR " + sql(a.get(1), column) + ")";
                    case "!_" -> "(NOT " + sql(a.get(0), column) + ")";
                    case "-_" -> "(-" + sql(a.get(0), column) + ")";
                    case "_?_:_" -> "(CASE WHEN " + sql(a.get(0), column) + " THEN " + sql(a.get(1), column) + " ELSE "
                            + sql(a.get(2), column) + " END)";
                    case "_+_" -> binary(a, "+", column);
                    case "_-_" -> binary(a, "-", column);
                    case "_*_" -> binary(a, "*", column);
                    case "_/_" -> "(" + sql(a.get(0), column) + " / NULLIF(" + sql(a.get(1), column) + ", 0))";
                    case "_<_" -> binary(a, "<", column);
                    case "_<=_" -> binary(a, "<=", column);
                    case "_>_" -> binary(a, ">", column);
                    case "_>=_" -> binary(a, ">=", column);
                    case "_==_" -> binary(a, "=", column);
                    case "_!=_" -> binary(a, "<>", column);
                    case "double" -> sql(a.get(0), column);
                    default -> throw unsupported("the function " + call.function());
                };
            }
            default -> throw unsupported("a " + e.exprKind().getKind().name().toLowerCase(java.util.Locale.ROOT) + " expression");
        }
    }

    private static String binary(List<CelExpr> a, String op, Function<String, String> column) {
        return "(" + sql(a.get(0), column) + " " + op + " " + sql(a.get(1), column) + ")";
    }

    /** A double as a SQL literal that DuckDB and Spark read back exactly (an E-notation DOUBLE). */
    private static String literal(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            throw unsupported("a non-finite number");
        }
        return "CAST(" + v + " AS DOUBLE)";
    }

    private static Invalid unsupported(String what) {
        return new Invalid("condition: " + what + " cannot be compiled to SQL; use numbers, the rule's names,"
                + " + - * /, comparisons, && || ! and ?:", 0);
    }
}
