import "server-only";

/**
 * Every module that defines jobs, loaded at start-up (before startJobs) so that each worker instance works all
 * of them, whatever pages it has served. A module that calls defineJob adds its import here.
 */
import "@/lib/files/maintenance";
import "@/lib/transfer/import-job";
