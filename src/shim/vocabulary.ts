// The words a URL path segment may be built from and still be kept literal by automatic templating.
// Why a vocabulary and not "looks like a word": a patient's name in a path (`/patients/by-name/smith`)
// looks exactly like a resource name (`/patients/by-name/labs`). Only a list of known API words tells
// them apart, so anything made of other words becomes `{id}`. Users extend it with `staticSegments`
// or, better, declare `routes`. First names and surnames that are also words (page, price, bill, will,
// grace, rose, hope, mark...) are deliberately left out.

const WORDS = `
api apis rest fhir hl7 ccda cda dstu stu r2 r3 r4 r4b r5 v version versions graphql rpc soap ws wsdl
auth oauth oauth2 oidc openid token tokens refresh revoke introspect authorize authorization login logout
session sessions sso saml jwks keys well known callback callbacks redirect consent consents
user users me self account accounts profile profiles role roles permission permissions scope scopes
client clients app apps application applications tenant tenants org orgs organization organizations
practice practices clinic clinics hospital hospitals facility facilities location locations site sites
department departments unit units wards room rooms bed beds service services
patient patients person persons people member members subscriber subscribers guarantor guarantors
related contact contacts emergency demographics demographic identifier identifiers alias aliases
provider providers practitioner practitioners physician physicians doctor doctors nurse nurses staff
care team teams plan plans goal goals program programs episode episodes
appointment appointments schedule schedules slot slots availability available booking bookings book
visit visits encounter encounters admission admissions discharge discharges transfer transfers
check checkin checkins checkout in out arrival arrivals waitlist queue queues
referral referrals order orders request requests requisition requisitions result results
lab labs laboratory test tests panel panels specimen specimens sample samples collection collections
observation observations vital vitals sign signs measurement measurements reading readings
diagnostic diagnostics report reports imaging study studies series instance instances radiology
condition conditions problem problems diagnosis diagnoses allergy allergies intolerance intolerances
immunization immunizations vaccine vaccines procedure procedures surgery surgeries
medication medications med meds drug drugs prescription prescriptions rx refill refills
dispense dispenses administration administrations statement statements formulary formularies
pharmacy pharmacies erx eprescribe ndc rxnorm
note notes document documents reference references attachment attachments file files upload uploads
download downloads image images media binary binaries form forms questionnaire questionnaires
response responses survey surveys letter letters fax faxes
message messages messaging inbox outbox thread threads conversation conversations chat chats
notification notifications alert alerts reminder reminders task tasks event events webhook webhooks
subscription subscriptions topic topics channel channels feed feeds stream streams
claim claims billing invoice invoices charge charges payment payments payer payers insurance
insurer insurers coverage coverages eligibility benefit benefits authorization authorizations
prior estimate estimates remittance remittances statement era edi x12 transaction transactions
pricing fee fees copay deductible balance balances ledger
code codes system systems valueset valuesets concept concepts terminology lookup translate
search query find match list lists all bulk batch export import sync status state health healthz
ping ready readiness live liveness metrics metadata capability capabilities conformance info
config configuration settings setting option options preference preferences feature features
history audit audits log logs change changes version revision revisions diff
create update delete remove add edit get set put post patch new latest current recent summary
summaries detail details count counts total totals stat stats pages next previous prev first last
everything validate validation expand lookup operation operations job jobs work item items
by name names type types kind kinds category categories tag tags label labels group groups
public private internal external admin admins partner partners integration integrations vendor vendors
customer customers resource resources bundle bundles entry entries record records chart charts
portal portals device devices family history social assessment assessments screening screenings
risk risks score scores flag flags consent directive directives advance directory directories
network networks region regions zone zones route routes routing flow flows
smart of explanation communication communications provenance map maps nutrition notice reconciliation
healthcare endpoint endpoints outcome outcomes parameters composition compositions clinical impression
detected issue issues adverse body structure supply delivery deliveries vision enrollment contract
contracts measure measures guidance basic linkage library libraries sequence
`;

const VOCABULARY: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));

/** True if `word` (lowercase, no separators) is a known API word, allowing plural endings. */
export function isKnownWord(word: string, extra: ReadonlySet<string>): boolean {
  if (VOCABULARY.has(word) || extra.has(word)) return true;
  // plurals: results → result, pharmacies → pharmacy, searches → search
  if (word.length > 3 && word.endsWith('s')) {
    const stem = word.slice(0, -1);
    if (VOCABULARY.has(stem) || extra.has(stem)) return true;
    if (word.endsWith('ies')) {
      const y = word.slice(0, -3) + 'y';
      if (VOCABULARY.has(y) || extra.has(y)) return true;
    }
    if (word.endsWith('es')) {
      const es = word.slice(0, -2);
      if (VOCABULARY.has(es) || extra.has(es)) return true;
    }
  }
  return false;
}
