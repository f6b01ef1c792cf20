import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { useCostLimit } from './cost-limit.js';

/**
 * Operation limits (API.md, Abuse limits), by GraphQL Armor's Envelop plugins: depth, aliases, tokens and
 * directives, and a static cost (cost-limit.ts) are checked before anything executes.
 *
 * Depth leaves `__schema` aside, as API.md says, and that exemption cannot be used by accident:
 * - it covers only the literal `__schema` field, under which nothing but introspection types exist
 *   (`__type(name:)` is still counted), and an alias cannot borrow it (`__schema: me` is counted);
 * - graphql-js's own MaxIntrospectionDepthRule (in its specified rules) refuses the nested
 *   `fields { type { fields … } }` shapes that make introspection explode;
 * - with introspection off (production), `__schema` and `__type` are refused outright.
 * The exemption exists because the standard introspection query (GraphiQL's, codegen's) has depth 21.
 */
export function useArmor(limits: Config['graphql'], introspection: boolean): Plugin[] {
  const plugins: Plugin[] = [
    EnvelopArmorPlugin({
      maxDepth: {
        n: limits.maxDepth,
        ignoreIntrospection: true,
        flattenFragments: false,
        ...asValidationError,
      },
      // Armor leaves aliases of `__typename` out by default; API.md's limit counts every alias.
      maxAliases: { n: limits.maxAliases, allowList: [], ...asValidationError },
      // Counted while parsing, where there is no validation context: a thrown syntax error is already a 400.
      maxTokens: { n: limits.maxTokens },
      maxDirectives: { n: limits.maxDirectives, ...asValidationError },
      // Ours (cost-limit.ts): Armor's costs a list by a literal `first` only.
      costLimit: { enabled: false },
      blockFieldSuggestion: { enabled: !limits.fieldSuggestions },
    }),
  ];
  plugins.push(useCostLimit(limits.maxCost));
  if (!introspection) plugins.push(useNoIntrospection());
  if (!limits.fieldSuggestions) plugins.push(useNoSuggestions());
  return plugins;
}

/**
 * Armor's rules throw by default, which Yoga answers with 200 and an error without a code. Reported to
 * the validation context instead, a refusal is an ordinary validation error: HTTP 400 and
 * GRAPHQL_VALIDATION_FAILED, like any other invalid document (and no misleading "Syntax Error:" prefix).
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
};

/** graphql-js's rule: `__schema` and `__type` are validation errors (`__typename` stays). */
function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

const SUGGESTION = / ?Did you mean [^?]*\?/;
const SUGGESTIONS = new RegExp(SUGGESTION.source, 'g');

/**
 * Armor hides suggestions in validation errors only; variable coercion ("Field "nme" is not defined by
 * type "SignInInput". Did you mean "name"?") reports them from execution, so the result is scrubbed too.
 */
function useNoSuggestions(): Plugin {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      if (!result.errors.some((error) => SUGGESTION.test(error.message))) return;
      setResult({
        ...result,
        errors: result.errors.map((error) =>
          SUGGESTION.test(error.message)
            ? withMessage(error, error.message.replace(SUGGESTIONS, ''))
            : error,
        ),
      });
    },
  };
}

function withMessage(error: GraphQLError, message: string): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: error.extensions,
  });
}
