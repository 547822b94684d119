// Sound and voice for the player: a soft tone through Web Audio and speech through
// speechSynthesis. What is worth saying is the player's decision; this module only makes it heard.

let audio = null;

export function tone(enabled, frequency = 660, seconds = 0.2, volume = 0.3) {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!enabled || !Context) return;
  audio ||= new Context();
  if (audio.state === "suspended") audio.resume();
  const oscillator = audio.createOscillator();
  const gain = audio.createGain();
  const t = audio.currentTime;
  oscillator.frequency.value = frequency;
  gain.gain.setValueAtTime(0.0001, t);
  gain.gain.exponentialRampToValueAtTime(volume, t + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, t + seconds);
  oscillator.connect(gain).connect(audio.destination);
  oscillator.start(t);
  oscillator.stop(t + seconds + 0.05);
}

export const canSpeak = () => !!window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function";

export function say(text, interrupt = false) {
  if (!canSpeak() || !text) return;
  if (interrupt) window.speechSynthesis.cancel();
  window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
}

export function hush() {
  if (canSpeak()) window.speechSynthesis.cancel();
}
