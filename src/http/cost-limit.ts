import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  GraphQLError,
  type GraphQLField,
  type GraphQLNamedType,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { PAGE_MAX } from '../schema/pagination.js';

/**
 * The static cost limit (API.md, Abuse limits), with GraphQL Armor's weights: an object 2, a scalar 1,
 * each level down ×1.5, and a list ×its length. Armor takes a list's length from a literal `first` or
 * `last` only, so the same document with `first: $n`, or with `first` left to its default, or a list
 * with no paging at all, was costed as one item, and thirty aliases of `sessions` cost as much as thirty
 * sessions however many the viewer had. Here a list's length is what it can be:
 * - `first`/`last` written out: that number; a variable: the largest page (the value is not known when
 *   a document is validated, and validation is cached per document); left out: the argument's default;
 * - a list of objects with no paging (`sessions`, `passkeys`): a full page, `PAGE_MAX`;
 * - a connection's `edges`: one, since the connection's `first` already counts them.
 */

const OBJECT_COST = 2;
const SCALAR_COST = 1;
const DEPTH_FACTOR = 1.5;

/** One document's fragments, each costed once: nested spreads must not multiply the work of costing. */
interface Walk {
  context: ValidationContext;
  fragmentCosts: Map<string, number>;
  visiting: Set<string>;
}

function pageLength(node: FieldNode, field: GraphQLField<unknown, unknown>): number | undefined {
  for (const name of ['first', 'last']) {
    const declared = field.args.find((arg) => arg.name === name);
    if (!declared) continue;
    const given: ValueNode | undefined = node.arguments?.find(
      (arg) => arg.name.value === name,
    )?.value;
    if (given?.kind === Kind.INT) return Number.parseInt(given.value, 10);
    if (given?.kind === Kind.VARIABLE) return PAGE_MAX;
    if (typeof declared.defaultValue === 'number') return declared.defaultValue;
    return PAGE_MAX;
  }
  return undefined;
}

function listLength(
  node: FieldNode,
  field: GraphQLField<unknown, unknown>,
  parent: GraphQLNamedType,
): number {
  const paged = pageLength(node, field);
  if (paged !== undefined) return Math.max(1, paged);
  if (!isListType(getNullableType(field.type))) return 1;
  return node.name.value === 'edges' && parent.name.endsWith('Connection') ? 1 : PAGE_MAX;
}

function selectionCost(set: SelectionSetNode, type: GraphQLCompositeType, walk: Walk): number {
  let cost = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) cost += DEPTH_FACTOR * fieldCost(selection, type, walk);
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition
        ? walk.context.getSchema().getType(selection.typeCondition.name.value)
        : type;
      if (condition && isCompositeType(condition))
        cost += selectionCost(selection.selectionSet, condition, walk);
    } else cost += fragmentCost(walk.context.getFragment(selection.name.value), walk);
  }
  return cost;
}

function fragmentCost(fragment: FragmentDefinitionNode | null | undefined, walk: Walk): number {
  // Unknown and cyclic fragments are other rules' errors; they add nothing here.
  if (!fragment || walk.visiting.has(fragment.name.value)) return 0;
  const known = walk.fragmentCosts.get(fragment.name.value);
  if (known !== undefined) return known;
  const condition = walk.context.getSchema().getType(fragment.typeCondition.name.value);
  if (!condition || !isCompositeType(condition)) return 0;
  walk.visiting.add(fragment.name.value);
  const cost = selectionCost(fragment.selectionSet, condition, walk);
  walk.visiting.delete(fragment.name.value);
  walk.fragmentCosts.set(fragment.name.value, cost);
  return cost;
}

function fieldCost(node: FieldNode, parent: GraphQLCompositeType, walk: Walk): number {
  // Introspection's own shapes are bounded by graphql-js's MaxIntrospectionDepthRule.
  if (node.name.value === '__schema') return 0;
  if (!node.selectionSet) return SCALAR_COST;
  const field = 'getFields' in parent ? parent.getFields()[node.name.value] : undefined;
  if (!field) return OBJECT_COST;
  const type = getNamedType(field.type);
  if (!isCompositeType(type)) return OBJECT_COST;
  const inner = selectionCost(node.selectionSet, type, walk);
  return (OBJECT_COST + inner) * listLength(node, field, parent);
}

export function operationCost(
  operation: OperationDefinitionNode,
  context: ValidationContext,
): number {
  const schema = context.getSchema();
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return 0;
  const walk: Walk = { context, fragmentCosts: new Map(), visiting: new Set() };
  // Root fields are not a level down: Armor's weights start below them.
  return selectionCost(operation.selectionSet, root, walk) / DEPTH_FACTOR;
}

const costLimitRule =
  (maxCost: number): ValidationRule =>
  (context) => ({
    OperationDefinition(operation) {
      const cost = operationCost(operation, context);
      if (cost > maxCost)
        context.reportError(
          new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${Math.ceil(cost)}.`, {
            nodes: [operation],
          }),
        );
    },
  });

/** Refuses an operation over `maxCost` as a validation error (HTTP 400, GRAPHQL_VALIDATION_FAILED). */
export function useCostLimit(maxCost: number): Plugin {
  const rule = costLimitRule(maxCost);
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(rule);
    },
  };
}
