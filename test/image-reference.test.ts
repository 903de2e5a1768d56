import { parseImageReference } from '../src/_image-reference';

describe('parseImageReference', () => {
  test.each([
    ['redis', { repository: 'redis', name: 'redis', tag: undefined, digest: undefined }],
    ['redis:7.2.7', { repository: 'redis', name: 'redis', tag: '7.2.7', digest: undefined }],
    ['mysql:8.4.3@sha256:abc', { repository: 'mysql', name: 'mysql', tag: '8.4.3', digest: 'sha256:abc' }],
    ['gcr.io/etcd-development/etcd@sha256:def', { repository: 'gcr.io/etcd-development/etcd', name: 'etcd', tag: undefined, digest: 'sha256:def' }],
    ['localhost:5000/team/app:v1', { repository: 'localhost:5000/team/app', name: 'app', tag: 'v1', digest: undefined }],
    ['localhost:5000/app', { repository: 'localhost:5000/app', name: 'app', tag: undefined, digest: undefined }],
  ])('%s', (image, expected) => {
    expect(parseImageReference(image)).toEqual(expected);
  });
});
