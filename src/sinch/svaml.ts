// SVAML, the instructions and action an application answers Sinch's call events with (sinch-api-facts.md §5.3).

export type SvamlAnswer = { instructions: Array<Record<string, unknown>>; action: Record<string, unknown> };

/** The actions Sinch accepts in an answer to an incoming call (ICE). */
export const ICE_ACTIONS = ['hangup', 'connectPstn', 'connectMxp', 'connectConf', 'connectSip', 'connectStream', 'runMenu', 'park'];
