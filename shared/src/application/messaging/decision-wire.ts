import { z } from 'zod';
import type { Decision, DecisionIntent } from '../../domain/trading/decision';
import {
  decimalToText,
  decisionIdField,
  epochField,
  krwField,
  marketField,
  priceField,
  strategyField,
  strategyOrOperatorField,
  volumeField,
} from './wire-fields';

const sideField = z.enum(['bid', 'ask']);

const intentSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('directional'),
    side: sideField,
    notional: krwField,
    limitPrice: priceField.optional(),
    urgency: z.enum(['passive', 'aggressive']),
    stopLossPct: z.number().finite().optional(),
    takeProfitPct: z.number().finite().optional(),
  }),
  z.strictObject({
    kind: z.literal('quotes'),
    levels: z.array(z.strictObject({ side: sideField, price: priceField, volume: volumeField })),
  }),
  z.strictObject({ kind: z.literal('flatten') }),
  z.strictObject({ kind: z.literal('hold') }),
]);

/**
 * A {@link Decision} as JSON: every Price/Volume/Krw is decimal text, so it crosses SQS and
 * DynamoDB without ever passing through a double. Parsing re-validates ids, markets and strategy
 * names with the domain's own parsers, so a decoded decision is as trustworthy as a built one.
 */
export const decisionWireSchema = z.strictObject({
  id: decisionIdField,
  market: marketField,
  createdAt: epochField,
  expiresAt: epochField,
  source: z.union([z.literal('ensemble'), strategyOrOperatorField]),
  strategy: strategyOrOperatorField,
  intent: intentSchema,
  signals: z.array(
    z.strictObject({
      strategy: strategyField,
      score: z.number().finite(),
      weight: z.number().finite(),
      reason: z.string(),
    }),
  ),
});

/** JSON shape of a decision (decimals as strings). */
export type DecisionWire = z.input<typeof decisionWireSchema>;

function intentToWire(intent: DecisionIntent): DecisionWire['intent'] {
  switch (intent.kind) {
    case 'directional':
      return {
        kind: 'directional',
        side: intent.side,
        notional: decimalToText(intent.notional),
        urgency: intent.urgency,
        ...(intent.limitPrice === undefined ? {} : { limitPrice: decimalToText(intent.limitPrice) }),
        ...(intent.stopLossPct === undefined ? {} : { stopLossPct: intent.stopLossPct }),
        ...(intent.takeProfitPct === undefined ? {} : { takeProfitPct: intent.takeProfitPct }),
      };
    case 'quotes':
      return {
        kind: 'quotes',
        levels: intent.levels.map((l) => ({
          side: l.side,
          price: decimalToText(l.price),
          volume: decimalToText(l.volume),
        })),
      };
    case 'flatten':
      return { kind: 'flatten' };
    case 'hold':
      return { kind: 'hold' };
  }
}

/** Decision → JSON-safe wire object. */
export function decisionToWire(decision: Decision): DecisionWire {
  return {
    id: decision.id,
    market: decision.market,
    createdAt: decision.createdAt,
    expiresAt: decision.expiresAt,
    source: decision.source,
    strategy: decision.strategy,
    intent: intentToWire(decision.intent),
    signals: decision.signals.map((s) => ({ ...s })),
  };
}

/** Wire object → Decision; throws a ZodError naming the bad field. */
export function decisionFromWire(wire: unknown): Decision {
  return decisionWireSchema.parse(wire) as Decision;
}
