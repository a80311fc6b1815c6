export default function Home() {
  return <main>CloudNotes</main>;
}
