export { workerHandoffSchema } from './handoff-config.js';
export { HandoffTranscriptRecorder, outboundText, turnLines, type TranscriptTurn, type TurnTranscript } from './transcript-recorder.js';
export { OperatorHandoff, timeoutJobId } from './operator-handoff.js';
export { startOperatorReplies, REASON_TEXT, type RunningOperatorReplies } from './operator-replies.js';
export { operatorNotifier } from './operator-notice.js';
export { HandoffSightings, type TurnTag } from './handoff-sightings.js';
