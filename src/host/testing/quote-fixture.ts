export { makeQuote } from '../../../tests/fakes/fixtures/make-quote'
