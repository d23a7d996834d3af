// Public surface of the AWS layer (bundled as dist/aws.js, loaded lazily by the extension).
export {};
