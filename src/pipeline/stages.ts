/**
 * The heavy stages (the parser, Modelina, handlebars, prettier), imported only when a run has work
 * to do: loading them costs about a second, which a no-op regeneration must not pay.
 */
export async function loadStages() {
  const [
    { parseSpec },
    { buildEvents },
    { describeRetired },
    { renderModels },
    { renderValidatorsModule },
    { renderFiles },
    { formatGenerated, formatCreatedUserFiles },
  ] = await Promise.all([
    import('../load/parse-spec.js'),
    import('../model/build-events.js'),
    import('../model/retired.js'),
    import('../render/models.js'),
    import('../render/validators/index.js'),
    import('../render/render-files.js'),
    import('../format/format-files.js'),
  ]);
  return {
    parseSpec,
    buildEvents,
    describeRetired,
    renderModels,
    renderValidatorsModule,
    renderFiles,
    formatGenerated,
    formatCreatedUserFiles,
  };
}

export type Stages = Awaited<ReturnType<typeof loadStages>>;
