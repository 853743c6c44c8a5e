import { describe, expect, it } from 'vitest';
import { pathOf, RouteTemplater } from '../../src/shim/route.js';

describe('route templating', () => {
  const auto = new RouteTemplater();

  it.each([
    ['/patients/123', '/patients/{id}'],
    ['/api/v1/lab-results/3f2b8c1e-9d4a-4e6b-a7c2-5e1f0d9b8a76', '/api/v1/lab-results/{id}'],
    ['/fhir/R4/MedicationRequest/abc123/$everything', '/fhir/R4/MedicationRequest/{id}/$everything'],
    ['/practices/42/providers/7/appointments/', '/practices/{id}/providers/{id}/appointments'],
    ['/patients/by-name/john-smith', '/patients/by-name/{id}'],
    ['/patients/Smith/labResults', '/patients/{id}/labResults'],
    ['/members/jane.doe@example.com/eligibility', '/members/{id}/eligibility'],
    ['/.well-known/smart-configuration', '/.well-known/smart-configuration'],
    ['/widgets/sprocket-42', '/{id}/{id}'],
    ['//oauth2//token', '/oauth2/token'],
    ['/', '/'],
  ])('templates %s as %s', (path, template) => {
    expect(auto.template(path)).toBe(template);
  });

  it('keeps words the service declares in staticSegments', () => {
    expect(new RouteTemplater(undefined, ['widgets', 'sprockets']).template('/widgets/sprockets/9')).toBe('/widgets/sprockets/{id}');
  });

  it('drops query strings and fragments, even a query holding slashes', () => {
    expect(pathOf('https://partner.example/patients/1?ssn=123-45-6789#dob')).toBe('/patients/1');
    expect(pathOf('http://partner.example?next=/patients/1')).toBe('/');
    expect(pathOf('http://partner.example')).toBe('/');
    expect(pathOf('/relative/path?x=1')).toBe('/relative/path');
  });

  it('matches declared routes literal-first, with method prefixes and trailing wildcards', () => {
    const t = new RouteTemplater(['GET /patients/:id', '/patients/:id/documents/*', '/patients/search']);
    expect(t.operation('GET', '/patients/9')).toBe('GET /patients/{id}');
    expect(t.operation('DELETE', '/patients/9')).toBe('other');
    expect(t.operation('GET', '/patients/9/documents/a/b')).toBe('GET /patients/{id}/documents/{rest}');
    expect(t.operation('POST', '/patients/search')).toBe('POST /patients/search');
    expect(t.operation('GET', '/patients/search')).toBe('GET /patients/search'); // literal beats the earlier :id
    expect(t.operation('GET', '/documents')).toBe('other');
    expect(t.operation('GET', '/patients/9/documents')).toBe('GET /patients/{id}/documents/{rest}');
  });

  it('resolves a whole URL in place to the node its sliced path resolves to', () => {
    const urls = [
      'https://partner.example/patients/1?ssn=123-45-6789#dob', 'http://partner.example?next=/patients/1', 'http://partner.example',
      'http://partner.example#/patients/1', 'https://p.example/patients/9/documents/a/b?x=/y', 'https://p.example//patients//search/',
      '/relative/path?x=1', '/patients/9', 'patients/9', 'patients?next=http://x/patients/1', '', '/', 'https://p.example/api/v1/lab-results/77',
    ];
    for (const t of [new RouteTemplater(), new RouteTemplater(['GET /patients/:id', '/patients/:id/documents/*', '/patients/search'])]) {
      for (const url of urls) {
        const path = url.includes('://') || url.startsWith('/') ? pathOf(url) : pathOf('/' + url);
        for (const method of ['GET', 'POST']) {
          const sliced = t.resolve(method, path);
          const inPlace = t.resolveUrl(method, url);
          expect(inPlace?.template, `${method} ${url}`).toBe(sliced?.template);
          if (sliced) expect(t.templateOf(inPlace!, method)).toBe(t.templateOf(sliced, method));
        }
      }
    }
  });

  it('keeps its cache of word decisions bounded, and ids out of it', () => {
    const t = new RouteTemplater();
    for (let i = 0; i < 5000; i++) t.operation('GET', `/patients/${i}/by-name/person${'abcdefghij'[i % 10]}${i.toString(36).replace(/\d/g, 'x')}`);
    const cache = (t as unknown as { wordCache: Map<string, boolean> }).wordCache;
    expect(cache.size).toBeLessThanOrEqual(2000);
    expect([...cache.keys()].some((k) => /\d/.test(k))).toBe(false);
  });
});

describe('the vocabulary', () => {
  const auto = new RouteTemplater();
  it.each([
    'Patient', 'Practitioner', 'PractitionerRole', 'Organization', 'Encounter', 'Observation', 'MedicationRequest',
    'AllergyIntolerance', 'DiagnosticReport', 'DocumentReference', 'CarePlan', 'ExplanationOfBenefit', 'Communication',
    'QuestionnaireResponse', 'FamilyMemberHistory', 'CoverageEligibilityRequest', 'OperationOutcome', 'ServiceRequest',
  ])('keeps the FHIR resource type %s literal', (resource) => {
    expect(auto.template(`/fhir/R4/${resource}/123`)).toBe(`/fhir/R4/${resource}/{id}`);
  });

  it.each(['maria', 'Garcia', 'okonkwo-adeyemi', 'JaneSmith', 'li', 'o-brien', 'van-der-berg'])('templates the name %s', (name) => {
    expect(auto.template(`/patients/by-name/${name}`)).toBe('/patients/by-name/{id}');
  });
});
