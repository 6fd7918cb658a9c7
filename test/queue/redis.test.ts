// The Redis (BullMQ) backend: the shared contract suite, plus what is Redis's own (durability warnings,
// a missing driver, Redis down at enqueue).
import { describeQueueContract } from './support/contract-suite.js';
import { redisFactory } from './support/redis-fixture.js';

describeQueueContract('redis', redisFactory);
