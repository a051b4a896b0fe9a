import { victimCase } from './test/helpers/victim-case';
const c = await victimCase(); c.store.close(); console.log(c.path);
