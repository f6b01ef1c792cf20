import { GraphQLError, Kind } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { badInput } from '../errors.js';

/**
 * Variables that do not fit their declared type (`$n: Int` given 2^31, 1e300 or "5", a missing
 * non-null one) are the client's mistake: BAD_USER_INPUT with `extensions.field` naming the variable.
 * graphql-js reports them before anything executes, as errors that wrap the scalar's own error, which
 * the error masking would otherwise log as unexpected. Such an error points at the variable's
 * definition; the AppError attached here is what http/errors.ts turns into the answer.
 */
export function useVariableErrors(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || result.data !== undefined || !result.errors?.length)
            return;
          setResult({ ...result, errors: result.errors.map(asBadUserInput) });
        },
      };
    },
  };
}

function asBadUserInput(error: GraphQLError): GraphQLError {
  const definition = error.nodes?.[0];
  if (definition?.kind !== Kind.VARIABLE_DEFINITION) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    originalError: badInput(definition.variable.name.value, error.message),
  });
}
