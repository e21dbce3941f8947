/** `variables.set`: its output is its `variables` input, merged into the process by the caller. */
import { z } from 'zod';
import { defineIntegration } from '../../catalog/types';
import { variablesSetManifest } from './manifest';

const variables = z.record(z.string().min(1), z.json());

export const variablesSet = defineIntegration({
  ...variablesSetManifest,
  input: z.object({ variables }),
  output: variables,
  async run(input) {
    return input.variables;
  },
});
